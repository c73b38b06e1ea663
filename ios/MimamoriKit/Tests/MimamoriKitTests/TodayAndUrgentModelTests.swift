// XCTest tests of TodayModel (home) and UrgentCheckModel on the REAL core: today before
// and after reports, the queue (waiting, nothing sent yet), the family's check with
// its emergency number, and storing the number from the leaflet. Failures the core
// produces are injected around the real service: a damaged database, a session that
// ended (→ login, reports kept), offline and throttled notices that lose nothing, a
// server refusal, and an unexpected error shown as a message.
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class TodayAndUrgentModelTests: CoreTestCase {
    @MainActor
    func testHomeBeforeAnyReport() async throws {
        let service = try await offline()
        try await service.setEmergencyContact(centre)
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertFalse(model.state.loading)
        XCTAssertNil(model.state.error)
        XCTAssertFalse(model.state.reportedToday)
        XCTAssertNil(model.state.advice)
        XCTAssertFalse(model.state.showEmergencyNumber)
        XCTAssertEqual(model.state.pendingSync, 0)
        XCTAssertEqual(model.state.emergency, centre)
        XCTAssertEqual(model.state.people.map(\.personId), [selfPersonId])
        XCTAssertEqual(model.state.sync?.pending, 0)
        XCTAssertNil(model.state.sync?.lastSuccessAt, "nothing sent yet")
        XCTAssertTrue(model.state.failed.isEmpty)
    }

    @MainActor
    func testHomeShowsTheLatestAdviceAndTheQueue() async throws {
        let service = try await offline()
        try await service.setEmergencyContact(centre)
        _ = try await service.saveReport(report("36.5"))
        _ = try await service.saveReport(report("38.2", yes: [2]))
        let model = TodayModel(service: service)
        await model.refresh()

        XCTAssertTrue(model.state.reportedToday)
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
        XCTAssertTrue(model.state.showEmergencyNumber)
        XCTAssertEqual(model.state.emergency?.phoneNumber, "03-1234-5678")
        XCTAssertEqual(model.state.latest?.temperatureTenths, 382)
        XCTAssertEqual(model.state.pendingSync, 2)
        XCTAssertEqual(model.state.sync?.pending, 2)
    }

    @MainActor
    func testSendNowWithoutNetworkIsANoticeAndKeepsEveryReport() async throws {
        let real = try await withServer()
        _ = try await real.saveReport(report("37.9", yes: [2]))
        let model = TodayModel(service: real)
        await model.syncNow()
        XCTAssertNotNil(model.state.syncError, "not signed in or offline: said, not crashed")
        XCTAssertFalse(model.state.syncing)
        XCTAssertEqual(model.state.pendingSync, 1)
        XCTAssertEqual(model.state.sync?.pending, 1)
    }

    @MainActor
    func testHomeShowsADamagedDatabase() async throws {
        let service = FailureInjectingService(try await offline())
        await service.failNext(with: .corrupt)
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertEqual(model.state.error, .corrupt)
        XCTAssertFalse(model.state.loading)
    }

    @MainActor
    func testAnUnexpectedErrorIsAMessageNotACrash() async throws {
        let service = FailureInjectingService(try await offline())
        await service.failNext(with: .unexpected(detail: "InternalError"))
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertEqual(model.state.error, .unexpected(detail: "InternalError"))
        await model.refresh()
        XCTAssertNil(model.state.error)
        // Any error thrown that is neither the core's nor the service's is `unexpected`.
        struct Odd: Error {}
        XCTAssertEqual(ServiceError.from(Odd()), .unexpected(detail: "Odd"))
        XCTAssertEqual(ServiceError.from(CoreError.Corrupt), .corrupt)
    }

    @MainActor
    func testFamilyCheckGivesTheEmergencyNumber() async throws {
        let service = try await offline()
        try await service.setEmergencyContact(centre)
        let model = UrgentCheckModel(service: service)
        await model.load()
        XCTAssertEqual(model.state.checklist?.groups.count, 3)
        XCTAssertEqual(model.state.checklist?.groups.flatMap(\.symptoms).count, 13, "the leaflet's 13 signs")
        XCTAssertEqual(model.state.emergency, centre)

        model.toggle("chest_pain")
        model.toggle("purple_lips")
        await model.evaluate()
        let advice = try XCTUnwrap(model.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertTrue(advice.showEmergencyNumber)
        XCTAssertEqual(advice.emergency, centre)

        model.toggle("chest_pain")
        XCTAssertNil(model.state.advice)
        XCTAssertEqual(model.state.ticked, ["purple_lips"])
    }

    @MainActor
    func testCloseContactWithCoughIsToldToCall() async throws {
        let model = UrgentCheckModel(service: try await offline())
        await model.load()
        model.setKind(.closeContact)
        await model.evaluate()
        XCTAssertEqual(model.state.advice?.urgency, .noAction)
        model.setCough(true)
        await model.evaluate()
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
    }

    @MainActor
    func testFamilyStoresTheNumberFromTheLeaflet() async throws {
        let service = try await offline()
        let model = UrgentCheckModel(service: service)
        await model.load()
        XCTAssertNil(model.state.emergency)

        await model.saveContact(centreName: "〇〇保健所", phoneNumber: "03-12x4")
        XCTAssertEqual(model.state.contactError?.field, "phone_number")
        XCTAssertNil(model.state.emergency)
        let none = try await service.emergencyContact()
        XCTAssertNil(none)

        await model.saveContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")
        XCTAssertNil(model.state.contactError)
        XCTAssertEqual(model.state.emergency, centre)
        let stored = try await service.emergencyContact()
        XCTAssertEqual(stored, centre)
    }

    @MainActor
    func testAnEndedSessionSendsHomeToLoginAndKeepsTheReports() async throws {
        let service = FailureInjectingService(try await offline())
        _ = try await service.saveReport(report("36.8"))
        await service.failNext(with: .loginRequired(reason: "log in"))
        let model = TodayModel(service: service)
        await model.refresh()
        XCTAssertTrue(model.state.needsLogin)

        let app = AppModel(service: service)
        app.handle(model.state.error!)
        XCTAssertEqual(app.state.screen, .login)

        await model.refresh()
        XCTAssertFalse(model.state.needsLogin)
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.pendingSync, 1)
    }

    @MainActor
    func testOfflineAndThrottledAreNoticesThatLoseNothing() async throws {
        let service = FailureInjectingService(try await offline())
        _ = try await service.saveReport(report("37.9", yes: [2]))
        let model = TodayModel(service: service)
        for error in [ServiceError.offline(reason: "offline"), .throttled(retryAfterSeconds: 30, reason: "wait")] {
            await service.failNext(with: error)
            await model.syncNow()
            XCTAssertEqual(model.state.syncError, error)
            XCTAssertEqual(model.state.syncError?.tryLater, true)
            XCTAssertFalse(model.state.needsLogin)
        }
        XCTAssertEqual(model.state.advice?.urgency, .callNow)
        XCTAssertEqual(model.state.pendingSync, 1)
    }

    @MainActor
    func testAServerRefusalIsShownWithItsReasonAndStoresNothing() async throws {
        let real = try await offline()
        let service = FailureInjectingService(real)
        let model = UrgentCheckModel(service: service)
        await model.load()
        await service.failNext(with: .server(code: "unavailable", reason: "try later"))
        await model.saveContact(centreName: centre.centreName, phoneNumber: centre.phoneNumber)
        XCTAssertEqual(model.state.error, .server(code: "unavailable", reason: "try later"))
        XCTAssertNil(model.state.contactError)
        let stored = try await real.emergencyContact()
        XCTAssertNil(stored)
    }
}
