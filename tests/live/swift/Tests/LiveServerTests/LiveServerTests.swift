// XCTest tests of the generated Swift binding against the LIVE backend server that
// tests/live/run.sh started: the calls the iOS app makes for first registration
// (request code → code from the mail folder → verify → password → attributes), saving
// three reports offline-first, uploading them with syncNow and reading syncStatus.
// A wrong verification code and an unreachable server give the core's Server and
// Network errors. HTTP goes through the iOS shell's URLSessionTransport. The server,
// the case's input ID and attributes and the mail folder come from MIMAMORI_LIVE_*
// values (LiveSupport.swift). The script checks afterwards through the staff API that
// the case holds exactly the three reports. Never prints a code or password.
import Foundation
import MobileCore
import MimamoriKit
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

    private func env(_ name: String) throws -> String { try liveEnv(name) }

    /// The core as the iOS app opens it: HTTP through URLSessionTransport.
    private func openCore(_ serverUrl: String? = nil) throws -> MimamoriCore {
        try MimamoriCore.openWithTransport(
            path: dir.appendingPathComponent("mimamori.db").path, serverUrl: serverUrl ?? env("URL"),
            transport: URLSessionTransport())
    }

    /// A code that is surely not `code`: every digit shifted by one.
    private func wrongCode(_ code: String) -> String {
        String(code.map { c in c.wholeNumberValue.map { Character(String(($0 + 1) % 10)) } ?? c })
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

    func testAWrongVerificationCodeIsRefusedOnTheCodeWithTheServersWords() throws {
        let core = try openCore()
        let email = "wrong-code-" + (try env("EMAIL"))
        _ = try core.requestCode(email: email, lang: .ja)
        let wrong = wrongCode(try code(for: email))
        XCTAssertThrowsError(try core.verifyCode(code: wrong, lang: .ja)) { error in
            guard case let CoreError.Invalid(field, reason) = error else {
                return XCTFail("expected CoreError.Invalid, got \(type(of: error))")
            }
            XCTAssertEqual(field, "code", "shown under the code field")
            XCTAssertEqual(reason, "認証コードが正しくありません。", "the server's words")
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
