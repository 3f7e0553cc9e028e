import JicaiApp
import JicaiCLI
import Logging
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app)
    try await app.execute()
} catch {
    // A refused command has already printed its reasons.
    if !(error is CommandFailed) { app.logger.report(error: error) }
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
