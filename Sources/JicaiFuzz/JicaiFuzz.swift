import Foundation
import JicaiFuzzTargets

// Built with `-sanitize=fuzzer,address -DFUZZING` (scripts/fuzz.sh) this is a libFuzzer binary: its entry point runs
// libFuzzer's driver, which calls the target named by JICAI_FUZZ_TARGET with each input. Built normally it replays
// files: `jicai-fuzz TARGET FILE…`.

#if FUZZING
    import CJicaiFuzz

    let fuzzTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["JICAI_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("JICAI_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
            exit(2)
        }
        return target
    }()

    /// The executable's entry point under SwiftPM's name for it; it hands control to libFuzzer's driver.
    @_cdecl("JicaiFuzz_main")
    public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
            fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
    }
#else
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print("usage: jicai-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                target.run(Array(data))
            }
            print("replayed \(arguments.count - 1) inputs through \(name)")
        }
    }
#endif
