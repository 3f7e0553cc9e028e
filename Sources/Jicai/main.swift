print("jicai")
