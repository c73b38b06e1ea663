// XCTest tests of the models on the REAL phone core: CoreMimamoriService over the
// generated binding and libmobile_core.so, each on a temporary database. The form
// saves a report and today's screen shows "call now" with the emergency number; an
// out-of-range temperature shows the core's field error and keeps the answers; the
// family check and a damaged database go through too. Every CoreError case maps to
// the ServiceError its screen acts on.
import Foundation
import MimamoriKit
import MobileCore
import XCTest

final class CoreMimamoriServiceTests: XCTestCase {
    private var dir: URL!
    private let centre = EmergencyContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    @MainActor
    private func openService() async throws -> CoreMimamoriService {
        try await CoreMimamoriService.open(path: dir.appendingPathComponent("mimamori.db").path) { .ja }
    }

    @MainActor
    func testReportThenTodayShowsCallNowWithTheEmergencyNumber() async throws {
        let service = try await openService()
        try await service.setEmergencyContact(centre)

        let form = ReportFormModel(service: service)
        await form.load()
        XCTAssertEqual(form.state.questions.count, 9)
        XCTAssertEqual(form.state.questions[2].id, "breathlessness")
        XCTAssertTrue(form.state.questions.allSatisfy { !$0.text.isEmpty && $0.options.count == 3 })
        form.setTemperature("38.0")
        form.answerAll(yes: ["breathlessness"])
        await form.submit()

        XCTAssertNil(form.state.fieldError)
        XCTAssertNil(form.state.error)
        XCTAssertEqual(form.state.advice?.urgency, .callNow)
        XCTAssertEqual(form.state.advice?.emergency, centre)

        let today = TodayModel(service: service)
        await today.refresh()
        XCTAssertNil(today.state.error)
        XCTAssertTrue(today.state.reportedToday)
        XCTAssertEqual(today.state.advice?.urgency, .callNow)
        XCTAssertTrue(today.state.showEmergencyNumber)
        XCTAssertEqual(today.state.emergency?.phoneNumber, "03-1234-5678")
        let headline = try XCTUnwrap(today.state.advice?.headline)
        XCTAssertTrue(headline.contains("緊急連絡先"), headline)
        XCTAssertEqual(today.state.latest?.temperatureTenths, 380)
        XCTAssertEqual(today.state.pendingSync, 1)
    }

    @MainActor
    func testInvalidTemperatureShowsTheCoresFieldErrorAndKeepsTheAnswers() async throws {
        let service = try await openService()
        let form = ReportFormModel(service: service)
        await form.load()
        form.setTemperature("43.5")
        form.answerAll(yes: ["cough"])
        let answers = form.state.answers
        await form.submit()

        XCTAssertEqual(form.state.fieldError?.field, "temperature")
        XCTAssertFalse((form.state.temperatureError ?? "").isEmpty)
        XCTAssertEqual(form.state.temperature, "43.5")
        XCTAssertEqual(form.state.answers, answers)
        XCTAssertNil(form.state.saved)

        let today = TodayModel(service: service)
        await today.refresh()
        XCTAssertFalse(today.state.reportedToday)
        XCTAssertEqual(today.state.pendingSync, 0)
    }

    @MainActor
    func testFamilyCheckOnTheRealChecklist() async throws {
        let service = try await openService()
        try await service.setEmergencyContact(centre)
        let check = UrgentCheckModel(service: service)
        await check.load()
        XCTAssertEqual(check.state.checklist?.groups.map(\.id), ["appearance", "breathing", "consciousness"])
        check.toggle("purple_lips")
        await check.evaluate()
        XCTAssertEqual(check.state.advice?.urgency, .callNow)
        XCTAssertEqual(check.state.emergency, centre)
        XCTAssertTrue(check.state.advice?.callInstruction.contains("03-1234-5678") ?? false)
    }

    @MainActor
    func testAFamilyCheckBeforeAnyNumberIsStoredSaysWhereTheNumberIsAnd119() async throws {
        let service = try await openService()
        let check = UrgentCheckModel(service: service)
        await check.load()
        XCTAssertNil(check.state.emergency)
        check.toggle("unresponsive")
        await check.evaluate()
        let advice = try XCTUnwrap(check.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertNil(advice.emergency)
        XCTAssertTrue(advice.callInstruction.contains("リーフレット") && advice.callInstruction.contains("119"), advice.callInstruction)
    }

    func testDamagedDatabaseIsReportedAsCorruptAndLeftAlone() async throws {
        let path = dir.appendingPathComponent("damaged.db")
        let garbage = Data((0..<4096).map { UInt8(($0 * 31 + 7) % 251) })
        try garbage.write(to: path)
        do {
            _ = try await CoreMimamoriService.open(path: path.path)
            XCTFail("a damaged database opened")
        } catch {
            XCTAssertEqual(error as? ServiceError, .corrupt)
        }
        XCTAssertEqual(try Data(contentsOf: path), garbage)
    }

    func testEveryCoreErrorMapsToWhatTheScreenDoes() {
        XCTAssertEqual(ServiceError(CoreError.Invalid(field: "temperature", reason: "r")), .invalid(field: "temperature", reason: "r"))
        XCTAssertEqual(ServiceError(CoreError.Corrupt), .corrupt)
        XCTAssertEqual(ServiceError(CoreError.Storage(detail: "d")), .storage(detail: "d"))

        let login = ServiceError(CoreError.Unauthorized(reason: "please log in"))
        XCTAssertEqual(login, .loginRequired(reason: "please log in"))
        XCTAssertTrue(login.needsLogin)
        XCTAssertFalse(login.tryLater)

        let offline = ServiceError(CoreError.Network(reason: "no network"))
        XCTAssertEqual(offline, .offline(reason: "no network"))
        XCTAssertTrue(offline.tryLater)
        XCTAssertFalse(offline.needsLogin)

        XCTAssertEqual(ServiceError(CoreError.Throttled(retryAfterSeconds: 42, reason: "wait")), .throttled(retryAfterSeconds: 42, reason: "wait"))

        let server = ServiceError(CoreError.Server(code: "wrong_code", reason: "the code is wrong"))
        XCTAssertEqual(server, .server(code: "wrong_code", reason: "the code is wrong"))
        XCTAssertFalse(server.needsLogin || server.tryLater)
        XCTAssertNil(server.field)

        XCTAssertEqual(ServiceError(CoreError.SecureConnection(reason: "check the date")), .secureConnection(reason: "check the date"))
        XCTAssertEqual(ServiceError(CoreError.NewerData), .newerData)
        XCTAssertEqual(ServiceError(CoreError.UpdateRequired(reason: "update")), .updateRequired(reason: "update"))
        XCTAssertEqual(ServiceError(CoreError.Keystore(detail: "no storage access")), .keystore(detail: "no storage access"))

        let stopped = ServiceError(CoreError.Cancelled(reason: "sending stopped"))
        XCTAssertEqual(stopped, .cancelled(reason: "sending stopped"))
        XCTAssertTrue(stopped.tryLater)
        XCTAssertFalse(stopped.needsLogin)
    }
}
