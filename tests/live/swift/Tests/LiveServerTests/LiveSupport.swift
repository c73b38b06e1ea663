// Shared by the live Swift suites: the MIMAMORI_LIVE_* values (from the environment or,
// since the Swift chroot starts with an empty environment, from the package's live.env
// that tests/live/run.sh writes; a missing one fails the test, nothing is skipped), the
// newest verification code in the server's mail folder, and report inputs. Never prints
// a value.
import Foundation
import MobileCore
import XCTest

/// live.env at the package's root: `KEY=value` lines.
private let liveFile: [String: String] = {
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    guard let text = try? String(contentsOf: root.appendingPathComponent("live.env"), encoding: .utf8) else { return [:] }
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let eq = line.firstIndex(of: "=") else { continue }
        values[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    return values
}()

/// A MIMAMORI_LIVE_* value; a missing one fails the test (it is never skipped).
func liveEnv(_ name: String) throws -> String {
    let key = "MIMAMORI_LIVE_\(name)"
    if let value = ProcessInfo.processInfo.environment[key] ?? liveFile[key], !value.isEmpty {
        return value
    }
    XCTFail("\(key) is not set: run tests/live/run.sh")
    throw CocoaError(.fileReadNoSuchFile)
}

/// The newest verification code mailed to `email`: the `認証コード: NNNNNN` (or, in an
/// English mail, `Verification code: NNNNNN`) line of the newest .eml addressed to it.
/// Waits a little for the file to appear.
func code(for email: String) throws -> String {
    let folder = try liveEnv("MAIL_DIR")
    let fm = FileManager.default
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }
        let mails = names.map { URL(fileURLWithPath: folder).appendingPathComponent($0) }.sorted { a, b in
            let ma = (try? fm.attributesOfItem(atPath: a.path)[.modificationDate] as? Date) ?? .distantPast
            let mb = (try? fm.attributesOfItem(atPath: b.path)[.modificationDate] as? Date) ?? .distantPast
            return ma == mb ? a.lastPathComponent > b.lastPathComponent : ma > mb
        }
        for mail in mails {
            guard let text = try? String(contentsOf: mail, encoding: .utf8) else { continue }
            // The mail has CRLF line ends: "\r\n" is one Character, a newline.
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            guard lines.contains(where: { $0.lowercased() == "to: \(email)".lowercased() }) else { continue }
            if let line = lines.first(where: { $0.hasPrefix("認証コード: ") || $0.hasPrefix("Verification code: ") }),
               let colon = line.range(of: ": ") {
                return String(line[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    XCTFail("no verification mail for the test address in the mail folder")
    throw CocoaError(.fileReadNoSuchFile)
}

/// Today's report of the phone's owner with `temperature` and "yes" to the questions `yes`.
func report(_ temperature: String, yes: [Int] = []) -> ReportInput {
    ReportInput(
        personId: "self", localDate: nil, kind: .infected, temperature: temperature,
        answers: (0..<9).map { yes.contains($0) ? .yes : .no }
    )
}
