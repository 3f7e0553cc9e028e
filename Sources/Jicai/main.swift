import JicaiApp
import JicaiCLI
import Logging
import Vapor

var env = try Environment.detect()
if JSONLogHandler.wantsJSON() {
    // The level as Vapor reads it (--log, LOG_LEVEL), the lines as JSON.
    let level = try Logger.Level.detect(from: &env)
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
} else {
    try LoggingSystem.bootstrap(from: &env)
}
let app = try await Application.make(env)
do {
    try await configure(app)
    // app.execute() without its own error log: a refused command has printed its reasons already.
    try await app.startup()
    try await app.running?.onStop.get()
} catch {
    // A refused command has already printed its reasons.
    if !(error is CommandFailed) { app.logger.report(error: error) }
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
