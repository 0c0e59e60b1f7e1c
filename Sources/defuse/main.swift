import DefuseCLI
import Foundation

let status = DefuseCLI.run(Array(CommandLine.arguments.dropFirst()), context: .process())
exit(status)
