// XCTest tests of the generated Swift binding against the LIVE backend server that
// tests/live/run.sh started: the calls the iOS app makes for first registration
// (request code → code from the mail folder → verify → password → attributes), saving
// three reports offline-first, uploading them with syncNow and reading syncStatus.
// A wrong verification code and an unreachable server give the core's Server and
// Network errors. The server, the case's input ID and attributes and the mail folder
// come from MIMAMORI_LIVE_* variables or, since the Swift chroot starts with an empty
// environment, from the package's live.env file that the script writes. The script
// checks afterwards through the staff API that the case holds exactly the three
// reports. Never prints a code or password.
import Foundation
import MobileCore
import XCTest

final class LiveServerTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// live.env at the package's root: `KEY=value` lines.
    private static let file: [String: String] = {
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
    private func env(_ name: String) throws -> String {
        let key = "MIMAMORI_LIVE_\(name)"
        if let value = ProcessInfo.processInfo.environment[key] ?? Self.file[key], !value.isEmpty {
            return value
        }
        XCTFail("\(key) is not set: run tests/live/run.sh")
        throw CocoaError(.fileReadNoSuchFile)
    }

    private func openCore(_ serverUrl: String? = nil) throws -> MimamoriCore {
        try MimamoriCore.openWithServer(path: dir.appendingPathComponent("mimamori.db").path, serverUrl: serverUrl ?? env("URL"))
    }

    /// The newest verification code mailed to `email`: the `認証コード: NNNNNN` line of
    /// the newest .eml addressed to it. Waits a little for the file to appear.
    private func code(for email: String) throws -> String {
        let folder = try env("MAIL_DIR")
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
                if let line = lines.first(where: { $0.hasPrefix("認証コード: ") }) {
                    return String(line.dropFirst("認証コード: ".count)).trimmingCharacters(in: .whitespaces)
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("no verification mail for the test address in the mail folder")
        throw CocoaError(.fileReadNoSuchFile)
    }

    /// A code that is surely not `code`: every digit shifted by one.
    private func wrongCode(_ code: String) -> String {
        String(code.map { c in c.wholeNumberValue.map { Character(String(($0 + 1) % 10)) } ?? c })
    }

    private func report(_ temperature: String, yes: [Int] = []) -> ReportInput {
        ReportInput(
            personId: "self", localDate: nil, kind: .infected, temperature: temperature,
            answers: (0..<9).map { yes.contains($0) ? .yes : .no }
        )
    }

    private func digits(_ s: String) -> String { s.filter(\.isNumber) }

    func testRegisterSaveThreeReportsSyncAndReadTheStatus() throws {
        let core = try openCore()
        let email = try env("EMAIL")
        let centre = try env("CENTRE")
        XCTAssertGreaterThan(try core.requestCode(email: email, lang: .ja), 0)
        try core.verifyCode(code: code(for: email), lang: .ja)
        // A password that passes the server's strength rule, made up for this run only.
        try core.setPassword(password: "Sora-\(UUID().uuidString.prefix(8))-Q7", lang: .ja)
        let profile = try core.submitAttributes(
            name: env("NAME"), dateOfBirth: env("DOB"), phone: env("PHONE"), inputId: env("INPUT_ID"), lang: .ja)
        XCTAssertEqual(profile.centreName, centre)
        XCTAssertEqual(profile.kind, .infected)
        XCTAssertTrue(try core.isLoggedIn())

        let stored = try XCTUnwrap(try core.profile(), "the profile is stored")
        XCTAssertEqual(stored.centreName, centre)
        let contact = try XCTUnwrap(try core.emergencyContact(), "the centre's number is the emergency contact")
        XCTAssertEqual(contact.centreName, centre)
        XCTAssertEqual(digits(contact.phoneNumber), digits(try env("CENTRE_NUMBER")))

        let first = try core.saveReport(input: report("36.5"), lang: .ja)
        let second = try core.saveReport(input: report("37.6", yes: [1]), lang: .ja)
        let third = try core.saveReport(input: report("38.4", yes: [2]), lang: .ja)
        XCTAssertEqual(first.advice.urgency, .noAction)
        XCTAssertEqual(second.advice.urgency, .watch)
        XCTAssertEqual(third.advice.urgency, .callNow)
        XCTAssertTrue(third.advice.showEmergencyNumber)
        XCTAssertEqual(third.advice.emergency?.centreName, centre)
        XCTAssertEqual(try core.syncStatus().pending, 3)

        let synced = try core.syncNow(lang: .ja)
        XCTAssertEqual(synced.pending, 0)
        XCTAssertEqual(synced.failed, 0)
        let status = try core.syncStatus()
        XCTAssertEqual(status.pending, 0)
        XCTAssertEqual(status.failed, 0)
        XCTAssertNotNil(status.lastSuccessAt, "the last success is recorded")
        XCTAssertNil(status.lastError)
        XCTAssertTrue(try core.failedReports().isEmpty)

        // A second sync finds nothing left and sends nothing again.
        XCTAssertEqual(try core.syncNow(lang: .ja).pending, 0)
    }

    func testAWrongVerificationCodeIsAServerRefusalWithAReason() throws {
        let core = try openCore()
        let email = "wrong-code-" + (try env("EMAIL"))
        _ = try core.requestCode(email: email, lang: .ja)
        let wrong = wrongCode(try code(for: email))
        XCTAssertThrowsError(try core.verifyCode(code: wrong, lang: .ja)) { error in
            guard case let CoreError.Server(code, reason) = error else {
                return XCTFail("expected CoreError.Server, got \(type(of: error))")
            }
            XCTAssertFalse(code.isEmpty, "the server's stable code")
            XCTAssertFalse(reason.isEmpty, "the text to show")
        }
        XCTAssertFalse(try core.isLoggedIn())
    }

    func testAnUnreachableServerIsANetworkErrorAndTheReportStays() throws {
        // Port 1 on this machine: nothing listens there, the connection is refused.
        let core = try openCore("http://127.0.0.1:1")
        let email = "offline-" + (try env("EMAIL"))
        XCTAssertThrowsError(try core.requestCode(email: email, lang: .ja)) { error in
            guard case let CoreError.Network(reason) = error else {
                return XCTFail("expected CoreError.Network, got \(type(of: error))")
            }
            XCTAssertFalse(reason.isEmpty)
        }
        _ = try core.saveReport(input: report("36.9"), lang: .ja)
        XCTAssertEqual(try core.syncStatus().pending, 1)
    }
}
