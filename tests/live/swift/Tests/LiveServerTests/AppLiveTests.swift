// XCTest tests of the iOS app's screen models (MimamoriKit) against the LIVE backend,
// through URLSessionTransport, as a patient and a family use them: first registration
// one screen at a time (the code read from the server's mail folder) → a report with
// its confirm step → its advice → sent by the background sync job → a report the
// server refuses (a day before the observation period) shown with its reason on home →
// retried, refused again and still kept; a household member added by their input ID
// and a report for them; the leaflet's deep link for this server stored and another
// server's refused; the person's data requests answered by the centre on its page
// and the disclosure (DataRequestsLive.swift); signing in again on a fresh phone.
// The script checks afterwards through the staff API that the app case holds exactly
// 1 report and the member's 1.
// Never prints a code or password.
import Foundation
import MimamoriKit
import MobileCore
import XCTest

final class AppLiveTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func open(_ name: String) async throws -> CoreMimamoriService {
        try await CoreMimamoriService.open(
            path: dir.appendingPathComponent(name).path, serverUrl: liveEnv("URL"), transport: URLSessionTransport()) { .ja }
    }

    /// A date `days` before today on this machine, `YYYY-MM-DD`.
    private func daysAgo(_ days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let date = calendar.date(byAdding: .day, value: -days, to: Date())!
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
    }

    @MainActor
    func testRegisterReportSyncFailedRetryHouseholdAndLeaflet() async throws {
        let service = try await open("phone.db")
        let app = AppModel(service: service)
        await app.load()
        XCTAssertEqual(app.state.screen, .start)
        await app.startRegistration()
        XCTAssertEqual(app.registration?.state.step, .email)

        // First registration, one screen each.
        let email = try liveEnv("APP_EMAIL")
        let registration = RegistrationModel(service: service)
        await registration.load()
        XCTAssertEqual(registration.state.step, .email)
        registration.setEmail(email)
        await registration.submitEmail()
        XCTAssertNil(registration.state.error)
        XCTAssertEqual(registration.state.step, .code)
        XCTAssertGreaterThan(registration.state.codeValidSeconds ?? 0, 0)

        // A resend at once: the server's wait is shown and the button waits for it.
        await registration.resendCode()
        if case let .throttled(seconds, _)? = registration.state.error {
            XCTAssertGreaterThan(seconds, 0)
            XCTAssertGreaterThan(registration.resendWaitSeconds(), 0)
        }

        // Closed and opened again: the same step, the address kept for "send again";
        // a wrong code is refused under the code field, in the server's words.
        let resumed = RegistrationModel(service: service)
        await resumed.load()
        XCTAssertEqual(resumed.state.step, .code)
        XCTAssertEqual(resumed.state.email, email)
        let right = try code(for: email)
        resumed.setCode(right == "000000" ? "111111" : "000000")
        await resumed.submitCode()
        XCTAssertEqual(resumed.state.step, .code)
        XCTAssertFalse((resumed.state.message("code") ?? "").isEmpty, "a wrong code is refused on the code")

        registration.setCode(right)
        await registration.submitCode()
        XCTAssertNil(registration.state.fieldError)
        XCTAssertEqual(registration.state.step, .password)

        await registration.setPassword("abc")
        XCTAssertEqual(registration.state.rule?.meetsRule, false)
        await registration.submitPassword()
        XCTAssertNotNil(registration.state.message("password"), "a weak password is refused beside the field")
        XCTAssertEqual(registration.state.step, .password)
        let password = "Sora-\(UUID().uuidString.prefix(8))-Q7"
        await registration.setPassword(password)
        XCTAssertEqual(registration.state.rule?.meetsRule, true)
        await registration.submitPassword()
        XCTAssertEqual(registration.state.step, .attributes)

        registration.setName(try liveEnv("APP_NAME"))
        registration.setDateOfBirth(try liveEnv("APP_DOB"))
        registration.setPhone("09000000000")
        registration.setInputId(try liveEnv("APP_INPUT_ID"))
        await registration.submitAttributes()
        XCTAssertEqual(registration.state.error?.isServer("registration_mismatch"), true, "attributes that do not match")
        XCTAssertEqual(registration.state.step, .attributes)
        registration.setPhone(try liveEnv("APP_PHONE"))
        await registration.submitAttributes()
        XCTAssertNil(registration.state.error)
        XCTAssertEqual(registration.state.step, .kind)
        XCTAssertEqual(registration.state.kind, .infected, "the kind the centre registered")
        registration.finish()
        XCTAssertEqual(registration.state.step, .done)
        // The app's own registration model is not this one: the journeys drive that.
        await app.load()
        XCTAssertEqual(app.state.screen, .main, "registered: the app opens signed in")

        // The daily report with its confirm step and the advice.
        let form = ReportFormModel(service: service, preferredKind: app.state.chosenKind)
        let job = BackgroundSync(service: service)
        var jobOutcome: BackgroundSyncOutcome?
        form.onSaved = { jobOutcome = await job.run(stop: SyncStop()) }
        await form.load()
        form.setTemperature("38.2")
        for (i, q) in form.state.questions.enumerated() {
            form.answer(i, q.id == "breathlessness" ? .yes : .no)
        }
        form.review()
        await form.submit()
        let advice = try XCTUnwrap(form.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertEqual(advice.emergency?.centreName, try liveEnv("CENTRE"), "the centre's number from the profile")
        guard case let .sent(status)? = jobOutcome else { return XCTFail("\(String(describing: jobOutcome))") }
        XCTAssertEqual(status.pending, 0, "sent by the job after the save")

        // Home shows it sent; a report the server refuses is listed with its reason.
        let home = TodayModel(service: service)
        await home.refresh()
        XCTAssertTrue(home.state.reportedToday)
        XCTAssertEqual(home.state.advice?.urgency, .callNow)
        XCTAssertNotNil(home.state.sync?.lastSuccessAt)
        _ = try await service.saveReport(ReportInput(
            personId: selfPersonId, localDate: daysAgo(3), kind: .infected, temperature: "36.6",
            answers: Array(repeating: .no, count: 9)))
        await home.syncNow()
        XCTAssertEqual(home.state.failed.count, 1)
        XCTAssertEqual(home.state.failed.first?.reasonCode, "outside_observation_period")
        XCTAssertFalse(home.state.failed.first?.reason.isEmpty ?? true, "the server's reason, shown")
        XCTAssertEqual(home.state.sync?.failed, 1)
        await home.retryFailed()
        XCTAssertEqual(home.state.failed.count, 1, "refused again, and still kept on the phone")
        XCTAssertEqual(home.state.sync?.pending, 0)

        // A household member by their attributes and input ID, and a report for them.
        let household = HouseholdModel(service: service)
        await household.load()
        household.setName(try liveEnv("MEMBER_NAME"))
        household.setDateOfBirth(try liveEnv("MEMBER_DOB"))
        household.setPhone(try liveEnv("MEMBER_PHONE"))
        household.setInputId(try liveEnv("MEMBER_INPUT_ID"))
        await household.add()
        XCTAssertNil(household.state.error)
        let member = try XCTUnwrap(household.state.added)
        XCTAssertEqual(household.state.people.map(\.view.personId), [selfPersonId, member.personId])
        XCTAssertEqual(household.state.selected, member.personId)
        let memberForm = ReportFormModel(service: service, personId: member.personId)
        memberForm.onSaved = form.onSaved
        await memberForm.load()
        memberForm.setTemperature("36.7")
        memberForm.answerAll()
        memberForm.review()
        await memberForm.submit()
        XCTAssertEqual(memberForm.state.advice?.urgency, .noAction)
        await home.select(personId: member.personId)
        XCTAssertTrue(home.state.reportedToday)
        let queue = try await service.personSyncStatus(personId: member.personId)
        XCTAssertEqual(queue.pending, 0, "the member's report was sent")

        // The leaflet's deep link: this server's stored, another server's refused.
        let contact = app.contact
        let url = try liveEnv("URL")
        let name = "ライブ保健所 分室"
        var link = URLComponents(string: "\(url)/app")!
        link.queryItems = [URLQueryItem(name: "centre", value: "1"), URLQueryItem(name: "name", value: name),
                           URLQueryItem(name: "tel", value: "03-5555-0199")]
        await app.open(url: link.url!)
        XCTAssertEqual(app.state.sheet, .emergencyContact)
        XCTAssertEqual(contact.state.contact?.centreName, name)
        var other = link
        other.host = "mimamori.example.com"
        other.scheme = "https"
        other.port = nil
        await app.open(url: other.url!)
        XCTAssertEqual(contact.state.fieldError?.field, "link")
        let kept = try await service.emergencyContact()
        XCTAssertEqual(kept?.phoneNumber, "03-5555-0199", "another server's link changes nothing")

        // The person's data requests, answered by the centre on its page; the disclosure.
        try await dataRequestsAnsweredByTheCentre(service)

        // Signing in again on a fresh phone.
        let fresh = try await open("second-phone.db")
        let login = LoginModel(service: fresh)
        login.setEmail(email)
        login.setPassword("Wrong-\(UUID().uuidString.prefix(6))-9")
        await login.submit()
        XCTAssertNotNil(login.state.error)
        XCTAssertNil(login.state.profile)
        login.setPassword(password)
        await login.submit()
        XCTAssertNil(login.state.error)
        XCTAssertEqual(login.state.profile?.centreName, try liveEnv("CENTRE"))
        XCTAssertEqual(login.state.password, "", "the password is not kept")
        let freshApp = AppModel(service: fresh)
        await freshApp.load()
        XCTAssertEqual(freshApp.state.screen, .main)
    }
}

extension ServiceError {
    func isServer(_ code: String) -> Bool {
        if case let .server(c, _) = self { return c == code }
        return false
    }
}

extension ReportFormModel {
    func answerAll() {
        for i in state.questions.indices { answer(i, .no) }
    }
}
