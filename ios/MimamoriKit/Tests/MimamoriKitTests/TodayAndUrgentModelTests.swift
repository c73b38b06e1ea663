// XCTest tests of TodayModel and UrgentCheckModel against FakeMimamoriService: today
// before and after a report, a damaged database, the family's check with its emergency
// number, and storing the number from the leaflet; a session that ended sends today's
// screen to login, being offline or throttled shows a notice and loses nothing, and a
// server refusal shows its reason.
import MimamoriKit
import MobileCore
import XCTest

final class TodayAndUrgentModelTests: XCTestCase {
    private let centre = EmergencyContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")

    private func report(_ temperature: String, breathless: Bool) -> ReportInput {
        ReportInput(
            personId: selfPersonId, localDate: nil, kind: .infected, temperature: temperature,
            answers: (0..<9).map { breathless && $0 == 2 ? .yes : .no }
        )
    }

    @MainActor
    func testTodayBeforeAnyReport() async {
        let model = TodayModel(service: FakeMimamoriService(contact: centre))
        await model.refresh()
        XCTAssertFalse(model.state.loading)
        XCTAssertFalse(model.state.reportedToday)
        XCTAssertNil(model.state.advice)
        XCTAssertFalse(model.state.showEmergencyNumber)
        XCTAssertEqual(model.state.pendingSync, 0)
        XCTAssertEqual(model.state.emergency, centre)
    }

    @MainActor
    func testTodayShowsTheLatestAdviceAndTheBacklog() async throws {
        let service = FakeMimamoriService(contact: centre)
        _ = try await service.saveReport(report("36.5", breathless: false))
        _ = try await service.saveReport(report("38.2", breathless: true))
        let model = TodayModel(service: service)
        await model.refresh()

        XCTAssertTrue(model.state.reportedToday)
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
        XCTAssertTrue(model.state.showEmergencyNumber)
        XCTAssertEqual(model.state.emergency?.phoneNumber, "03-1234-5678")
        XCTAssertEqual(model.state.latest?.temperatureTenths, 382)
        XCTAssertEqual(model.state.pendingSync, 2)
    }

    @MainActor
    func testTodayShowsADamagedDatabase() async {
        let service = FakeMimamoriService()
        await service.failNext(with: .corrupt)
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertEqual(model.state.error, .corrupt)
        XCTAssertFalse(model.state.loading)
    }

    @MainActor
    func testFamilyCheckGivesTheEmergencyNumber() async throws {
        let service = FakeMimamoriService(contact: centre)
        let model = UrgentCheckModel(service: service)
        await model.load()
        XCTAssertEqual(model.state.checklist?.groups.count, 3)
        XCTAssertEqual(model.state.emergency, centre)

        model.toggle("chest_pain")
        model.toggle("purple_lips")
        await model.evaluate()
        let advice = try XCTUnwrap(model.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertTrue(advice.showEmergencyNumber)
        XCTAssertEqual(advice.emergency, centre)
        // Sent in the leaflet's order, whatever the order of the ticks.
        let checked = await service.checked
        XCTAssertEqual(checked.first?.symptomIds, ["purple_lips", "chest_pain"])
        XCTAssertNil(checked.first?.kind)

        model.toggle("chest_pain")
        XCTAssertNil(model.state.advice)
        XCTAssertEqual(model.state.ticked, ["purple_lips"])
    }

    @MainActor
    func testCloseContactWithCoughIsToldToCall() async {
        let model = UrgentCheckModel(service: FakeMimamoriService(contact: centre))
        await model.load()
        model.setKind(.closeContact)
        await model.evaluate()
        XCTAssertEqual(model.state.advice?.urgency, .noAction)
        model.setCough(true)
        await model.evaluate()
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
    }

    @MainActor
    func testFamilyStoresTheNumberFromTheLeaflet() async {
        let service = FakeMimamoriService()
        let model = UrgentCheckModel(service: service)
        await model.load()
        XCTAssertNil(model.state.emergency)

        await model.saveContact(centreName: "〇〇保健所", phoneNumber: "03-12x4")
        XCTAssertEqual(model.state.contactError?.field, "phone_number")
        XCTAssertNil(model.state.emergency)

        await model.saveContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")
        XCTAssertNil(model.state.contactError)
        XCTAssertEqual(model.state.emergency, centre)
        let stored = await service.contact
        XCTAssertEqual(stored, centre)
    }

    @MainActor
    func testAnEndedSessionSendsTodayToLoginAndKeepsTheReports() async throws {
        let service = FakeMimamoriService(contact: centre)
        _ = try await service.saveReport(report("36.8", breathless: false))
        await service.failNext(with: .loginRequired(reason: "fake: log in"))
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertTrue(model.state.needsLogin)
        XCTAssertEqual(model.state.error, .loginRequired(reason: "fake: log in"))

        await model.refresh()
        XCTAssertFalse(model.state.needsLogin)
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.pendingSync, 1)
    }

    @MainActor
    func testOfflineAndThrottledAreNoticesThatLoseNothing() async throws {
        let service = FakeMimamoriService(contact: centre)
        _ = try await service.saveReport(report("37.9", breathless: true))
        let model = TodayModel(service: service)
        for error in [ServiceError.offline(reason: "fake: offline"), .throttled(retryAfterSeconds: 30, reason: "fake: wait")] {
            await service.failNext(with: error)
            await model.refresh()
            XCTAssertEqual(model.state.error, error)
            XCTAssertEqual(model.state.error?.tryLater, true)
            XCTAssertFalse(model.state.needsLogin)
        }
        await model.refresh()
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
        XCTAssertEqual(model.state.pendingSync, 1)
    }

    @MainActor
    func testAServerRefusalIsShownWithItsReason() async {
        let service = FakeMimamoriService()
        let model = UrgentCheckModel(service: service)
        await model.load()
        await service.failNext(with: .server(code: "unavailable", reason: "fake: try later"))
        await model.saveContact(centreName: centre.centreName, phoneNumber: centre.phoneNumber)
        XCTAssertEqual(model.state.error, .server(code: "unavailable", reason: "fake: try later"))
        XCTAssertNil(model.state.contactError)
        let stored = await service.contact
        XCTAssertNil(stored)
    }
}
