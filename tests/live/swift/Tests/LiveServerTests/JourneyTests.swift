// The iOS app driven as a person uses it, through its navigation model (AppModel, and
// MainModel once signed in) on the real core and the LIVE server, once in Japanese and
// once in English. Each step asserts what the screen shows, read through the app's own
// Localizable.strings (or the core's and server's words), and what the server or the
// phone now holds:
//
//   registration with the mailed code, a registration the server let expire on the way
//   (the person reads why and starts again from the e-mail), the reminder offered with
//   its reason and planned for every day left → a report the core refuses (what was
//   typed stays) → sent, home says done and when it went, in the phone's clock →
//   "report again" starts empty → offline, an urgent report: the centre's number and
//   its call action; home shows it waiting and why → the network returns: sent → a
//   household member added, reported for, in the history → sign out, sign in (a wrong
//   password refused on the screen; a second visit starts empty), settings → the
//   session ends on the server: the next save leads to the sign-in screen with the
//   reason, the report waits and goes after signing in → a fresh phone signing in is
//   offered the reminder too.
//
// Also: the family's check on a phone with no number stored offers 119; an app too old
// for the server says how to update, with the App Store page of the shipped Info.plist.
// The script checks afterwards through the staff API that each journey's case holds
// exactly its 4 reports and the member's case 1. Never prints a code or password.
import Foundation
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class JourneyTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-journey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// One phone: its core, network, notification centre and app.
    private struct Phone {
        let service: CoreMimamoriService
        let network: NetworkSwitch
        let center: RecordingNotificationCenter
        let app: AppModel
    }

    @MainActor
    private func phone(_ language: String, name: String, server: String? = nil) async throws -> Phone {
        let preferences = AppPreferences(defaults: UserDefaults(suiteName: "journey-\(UUID().uuidString)")!)
        preferences.languageChoice = language == "ja" ? .ja : .en
        let network = NetworkSwitch()
        let service = try await CoreMimamoriService.open(
            path: dir.appendingPathComponent("\(name).db").path, serverUrl: server ?? liveEnv("URL"), transport: network
        ) { preferences.language() }
        let center = RecordingNotificationCenter(permission: .notAsked, answer: true)
        let reminders = ReminderScheduler(service: service, center: center)
        let app = AppModel(service: service, preferences: preferences, reminders: reminders,
                           sync: BackgroundSync(service: service, reminders: reminders), appStore: try shippedAppStorePage())
        return Phone(service: service, network: network, center: center, app: app)
    }

    @MainActor
    func testTheJourneyInJapanese() async throws {
        try await journey("ja", tag: "JA")
    }

    @MainActor
    func testTheJourneyInEnglish() async throws {
        try await journey("en", tag: "EN")
    }

    @MainActor
    private func journey(_ language: String, tag: String) async throws {
        let words = try appWords(language)
        let ja = language == "ja"
        let email = "swift-journey-\(language)@live.example.jp"
        let password = "Journey-\(language)-Kumo-9"
        let centreNumber = try liveEnv("CENTRE_NUMBER")
        let centreDial = "tel:" + centreNumber.filter(\.isNumber)
        let phone = try await phone(language, name: "phone")
        let app = phone.app

        // — Registration; the server lets it expire after the code.
        await app.load()
        XCTAssertEqual(app.state.screen, .start)
        await app.startRegistration()
        let registration = try XCTUnwrap(app.registration)
        registration.setEmail(email)
        try await requestCode(registration)
        XCTAssertEqual(registration.state.step, .code)
        registration.setCode(try code(for: email))
        await registration.submitCode()
        XCTAssertEqual(registration.state.step, .password)
        let expired = try serverDatabase(
            "UPDATE registrations SET token_expires_at = 1 WHERE email = '\(email)' AND state = 'verified'")
        XCTAssertEqual(expired, 1)
        await registration.setPassword(password)
        await registration.submitPassword()
        XCTAssertEqual(registration.state.step, .email, "an expired registration starts again from the e-mail")
        XCTAssertEqual(registration.state.error.map { words($0.text) },
                       ja ? "手続きの有効期限が切れました。認証コードの送信からやり直してください。"
                          : "This registration step has expired. Please request a new verification code.",
                       "the person reads why, at the top of the step")

        // — Registered with a new code.
        XCTAssertEqual(registration.state.email, email, "the address is kept to send again")
        try await requestCode(registration)
        registration.setCode(try code(for: email))
        await registration.submitCode()
        await registration.setPassword(password)
        await registration.submitPassword()
        XCTAssertEqual(registration.state.step, .attributes)
        registration.setName(try liveEnv("J_\(tag)_NAME"))
        registration.setDateOfBirth(try liveEnv("J_\(tag)_DOB"))
        registration.setPhone(try liveEnv("J_\(tag)_PHONE"))
        registration.setInputId(try liveEnv("J_\(tag)_INPUT_ID"))
        await registration.submitAttributes()
        XCTAssertEqual(registration.state.step, .kind, "\(String(describing: registration.state.error))")
        await app.finishRegistration()
        XCTAssertEqual(app.state.screen, .main)
        XCTAssertNil(app.registration)
        var main = try XCTUnwrap(app.main)

        // — The reminder: its reason first, then the system's dialog, then every day left.
        XCTAssertTrue(app.state.offeringReminder)
        var asked = await phone.center.asked
        XCTAssertEqual(asked, 0, "the system asks only after the person's 'allow'")
        await app.allowReminder()
        asked = await phone.center.asked
        XCTAssertEqual(asked, 1)
        let planned = await phone.center.pending.count
        XCTAssertGreaterThan(planned, 1, "a reminder for each day left, not one that is never renewed")

        // — Home before the first report: the centre's number to call.
        XCTAssertEqual(words(main.today.state.headline), ja ? "今日の健康記録はまだ入力されていません。" : "Today's health report has not been made yet.")
        XCTAssertEqual(main.today.state.call?.number, centreNumber)
        XCTAssertEqual(main.today.state.call?.url.absoluteString, centreDial)

        // — A report the core refuses keeps what was typed; then it is saved and sent.
        await main.report()
        XCTAssertEqual(main.tab, .report)
        var form = main.form
        fill(form, "45.9", yes: false)
        form.review()
        await form.submit()
        XCTAssertNil(form.state.saved)
        XCTAssertNotNil(form.state.temperatureError, "the refusal is shown beside the temperature")
        XCTAssertEqual(form.state.temperature, "45.9", "what was typed stays")
        form.setTemperature("36.8")
        form.review()
        XCTAssertTrue(form.state.confirming)
        await form.submit()
        let advice = try XCTUnwrap(form.state.advice)
        XCTAssertNotEqual(advice.urgency, .callNow)
        XCTAssertFalse(advice.headline.isEmpty)
        await main.reportDone()
        XCTAssertEqual(main.tab, .home)
        XCTAssertEqual(words(main.today.state.headline), ja ? "今日の健康記録は入力済みです。" : "Today's health report is done.")
        XCTAssertEqual(words(main.today.state.reportButton), ja ? "もう一度入力する" : "Report again")
        var queue = main.today.state.queue.map { words($0) }
        XCTAssertEqual(queue.first, ja ? "送信待ちの記録はありません。" : "No reports are waiting to be sent.")
        let sent = try XCTUnwrap(queue.last)
        let prefix = ja ? "最後に送信した日時：" : "Last sent: "
        XCTAssertTrue(sent.hasPrefix(prefix), sent)
        XCTAssertNotNil(sent.dropFirst(prefix.count).range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"#, options: .regularExpression),
                        "the time as a clock shows it, not a UTC instant: \(sent)")

        // — Report again: a fresh, empty form.
        await main.report()
        form = main.form
        XCTAssertEqual(form.state.temperature, "")
        XCTAssertTrue(form.state.answers.allSatisfy { $0 == nil }, "no answer carried over")
        XCTAssertNil(form.state.saved)
        fill(form, "37.2", yes: false)
        form.review()
        await form.submit()
        XCTAssertNotNil(form.state.saved)
        await main.reportDone()

        // — Offline, an urgent report: the centre's number and its call; home says it waits.
        phone.network.offline = true
        await main.report()
        form = main.form
        fill(form, "39.4", yes: true)
        form.review()
        await form.submit()
        let urgent = try XCTUnwrap(form.state.advice, "saved on the phone with no network")
        XCTAssertEqual(urgent.urgency, .callNow)
        let call = try XCTUnwrap(urgent.callAction)
        XCTAssertEqual(call.number, centreNumber)
        XCTAssertEqual(call.url.absoluteString, centreDial)
        XCTAssertEqual(words(call.label), ja ? "電話をかける" : "Call")
        await main.reportDone()
        XCTAssertTrue(main.today.state.showEmergencyNumber, "home keeps the urgent advice's number")
        await main.sendNow()
        XCTAssertEqual(main.today.state.syncError.map { words($0.text) },
                       ja ? "サーバーに接続できません。記録は端末に残っており、次の同期で送信されます。"
                          : "The server cannot be reached. Your records are kept on this phone and will be sent with the next sync.")
        queue = main.today.state.queue.map { words($0) }
        XCTAssertEqual(queue.first, ja ? "未送信の記録が1件あります。通信できるときに送信されます。"
                                       : "1 report(s) waiting to be sent. They will be sent when there is a connection.")
        XCTAssertEqual(app.state.screen, .main, "no network is no reason to sign in")

        // — The network returns: the background job sends it.
        phone.network.offline = false
        await app.syncSoon()
        XCTAssertEqual(main.today.state.queue.first.map { words($0) }, ja ? "送信待ちの記録はありません。" : "No reports are waiting to be sent.")

        // — A household member: added, reported for, in the history.
        await main.show(.household)
        main.household.setName(try liveEnv("J_\(tag)_MEMBER_NAME"))
        main.household.setDateOfBirth(try liveEnv("J_\(tag)_MEMBER_DOB"))
        main.household.setPhone(try liveEnv("J_\(tag)_MEMBER_PHONE"))
        main.household.setInputId(try liveEnv("J_\(tag)_MEMBER_INPUT_ID"))
        await main.addMember()
        XCTAssertNotNil(main.household.state.added, "\(String(describing: main.household.state.error))")
        let member = try XCTUnwrap(main.household.state.people.first { $0.view.personId != selfPersonId }?.view)
        await main.report(for: member.personId)
        form = main.form
        XCTAssertEqual(form.state.personId, member.personId, "the report is the member's")
        XCTAssertEqual(form.state.temperature, "")
        fill(form, "36.6", yes: false)
        form.review()
        await form.submit()
        XCTAssertNotNil(form.state.saved)
        await main.reportDone()
        XCTAssertEqual(main.today.state.personName, member.name, "home shows the member's day")
        XCTAssertEqual(words(main.today.state.headline), ja ? "今日の健康記録は入力済みです。" : "Today's health report is done.")
        await main.show(.history)
        XCTAssertEqual(main.history.state.personId, member.personId)
        XCTAssertEqual(main.history.state.points.map(\.celsius), [36.6], "the member's history holds the member's report only")
        await main.choose(selfPersonId)
        await main.show(.history)
        XCTAssertEqual(main.history.state.points.map(\.celsius), [39.4], "the owner's day: three reports, the latest counts")

        // — Sign out, sign in (a wrong password refused on the screen), settings.
        await main.show(.settings)
        await main.signOut()
        XCTAssertEqual(app.state.screen, .start)
        XCTAssertNil(app.main)
        app.startLogin()
        var login = try XCTUnwrap(app.login)
        XCTAssertEqual(login.state.email, "")
        login.setEmail(email)
        login.setPassword(password + "x")
        await app.signIn()
        XCTAssertEqual(app.state.screen, .login)
        XCTAssertFalse(login.state.error.map { words($0.text) }?.isEmpty ?? true, "the refusal is on the screen")
        app.showStart()
        app.startLogin()
        login = try XCTUnwrap(app.login)
        XCTAssertEqual(login.state.password, "", "a second visit starts empty")
        login.setEmail(email)
        login.setPassword(password)
        await app.signIn()
        XCTAssertEqual(app.state.screen, .main)
        main = try XCTUnwrap(app.main)
        XCTAssertEqual(main.tab, .home)
        XCTAssertFalse(app.state.offeringReminder, "asked once on this phone")
        await main.show(.settings)
        XCTAssertEqual(main.settings.state.language, ja ? .ja : .en)
        XCTAssertNotNil(main.settings.state.notice)
        XCTAssertNil(main.settings.state.error)

        // — The session ends on the server; the next save leads to signing in, the report waits.
        let ended = try serverDatabase(
            "UPDATE sessions SET expires_at = 1 WHERE patient_id IN (SELECT id FROM patients WHERE email = '\(email)')")
        XCTAssertGreaterThan(ended, 0)
        await main.report()
        form = main.form
        fill(form, "36.9", yes: false)
        form.review()
        await form.submit()
        XCTAssertEqual(app.state.screen, .login, "the job met the ended session")
        XCTAssertNil(app.main)
        XCTAssertEqual(app.state.notice.map { words($0.text) },
                       ja ? "ログインが必要です。端末の記録はすべて残っており、ログイン後に送信されます。"
                          : "Please log in. Every record on this phone is kept and will be sent after you log in.")
        var waiting = try await phone.service.pendingSyncCount()
        XCTAssertEqual(waiting, 1, "the report waits on the phone")
        login = try XCTUnwrap(app.login)
        login.setEmail(email)
        login.setPassword(password)
        await app.signIn()
        XCTAssertEqual(app.state.screen, .main)
        XCTAssertNil(app.state.notice)
        main = try XCTUnwrap(app.main)
        waiting = try await phone.service.pendingSyncCount()
        XCTAssertEqual(waiting, 0, "sent after signing in")
        XCTAssertEqual(main.today.state.queue.first.map { words($0) }, ja ? "送信待ちの記録はありません。" : "No reports are waiting to be sent.")

        // — A fresh phone signing in is offered the reminder too.
        let second = try await self.phone(language, name: "second-phone")
        await second.app.load()
        second.app.startLogin()
        second.app.login?.setEmail(email)
        second.app.login?.setPassword(password)
        await second.app.signIn()
        XCTAssertEqual(second.app.state.screen, .main)
        XCTAssertTrue(second.app.state.offeringReminder, "signing in asks as registering does")
    }

    @MainActor
    func testTheFamilysCheckWithNoNumberStoredOffers119() async throws {
        for language in ["ja", "en"] {
            let words = try appWords(language)
            let phone = try await phone(language, name: "family-\(language)")
            await phone.app.load()
            phone.app.showUrgentCheck()
            XCTAssertEqual(phone.app.state.sheet, .urgentCheck)
            let check = UrgentCheckModel(service: phone.service)
            await check.load()
            let first = try XCTUnwrap(check.state.checklist?.groups.first?.symptoms.first)
            check.toggle(first.id)
            await check.evaluate()
            let advice = try XCTUnwrap(check.state.advice)
            XCTAssertEqual(advice.urgency, .callNow)
            let call = try XCTUnwrap(advice.callAction)
            XCTAssertEqual(call.number, "119")
            XCTAssertEqual(call.url.absoluteString, "tel:119")
            XCTAssertEqual(words(call.label), language == "ja" ? "119番に電話をかける" : "Call 119")
        }
    }

    @MainActor
    func testAnAppTooOldForTheServerShowsHowToUpdateOnEveryScreen() async throws {
        let store = try shippedAppStorePage()
        XCTAssertEqual(store.host, "apps.apple.com", "the shipped Info.plist names the app's page")
        XCTAssertNotEqual(store, AppStorePage.fallback)
        for language in ["ja", "en"] {
            let words = try appWords(language)
            let phone = try await phone(language, name: "old-\(language)", server: liveEnv("OLD_URL"))
            let app = phone.app
            await app.load()
            XCTAssertNil(app.updateNotice)
            await app.startRegistration()
            app.registration?.setEmail("old-\(language)@live.example.jp")
            await app.registration?.submitEmail()
            XCTAssertEqual(app.updateNotice.map { words($0) },
                           language == "ja"
                               ? "この版のアプリはサーバーに受け付けられなくなりました。App Store で「みまもり」を開き、「アップデート」を押してください。更新するまで、記録はこの端末に保存されます。"
                               : "The server no longer accepts this version of the app. Open Mimamori in the App Store and tap Update. Until then, your reports are kept on this phone.")
            XCTAssertEqual(app.appStore, store)
            // Signing in meets the same answer: still how to update, never a sign-in loop.
            app.startLogin()
            app.login?.setEmail("old-\(language)@live.example.jp")
            app.login?.setPassword("Whatever-Pass-9")
            await app.signIn()
            XCTAssertEqual(app.state.screen, .login)
            XCTAssertNil(app.state.notice, "not told to sign in again")
            XCTAssertTrue(app.state.updateRequired)
        }
    }

    /// "Send the code", waiting out the server's throttle as the screen's button does.
    @MainActor
    private func requestCode(_ registration: RegistrationModel) async throws {
        for _ in 0..<3 {
            await registration.submitEmail()
            guard case let .throttled(seconds, _)? = registration.state.error else { return }
            try await Task.sleep(nanoseconds: (seconds + 1) * 1_000_000_000)
        }
    }

    /// Types `temperature` and answers every question "yes" or "no".
    @MainActor
    private func fill(_ form: ReportFormModel, _ temperature: String, yes: Bool) {
        form.setTemperature(temperature)
        for index in form.state.questions.indices {
            form.answer(index, yes ? .yes : .no)
        }
    }
}
