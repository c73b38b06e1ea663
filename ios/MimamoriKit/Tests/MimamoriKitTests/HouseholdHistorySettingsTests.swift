// XCTest tests of the household, history and settings models on the REAL core: the
// owner listed first with their queue, adding a member while offline (said, the form
// kept), the history's chart points and each day's answers in the core's words, the
// language switch, the data-handling notice, and signing out with reports waiting
// (warned first; the reports stay).
import Foundation
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class HouseholdHistorySettingsTests: CoreTestCase {
    private var yesterday: String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone.current
        let d = c.date(byAdding: .day, value: -1, to: Date())!
        let parts = c.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    @MainActor
    func testTheOwnerIsListedFirstWithTheirQueue() async throws {
        let service = try await withServer()
        _ = try await service.saveReport(report("36.9"))
        let model = HouseholdModel(service: service)
        await model.load()
        XCTAssertEqual(model.state.people.map(\.view.personId), [selfPersonId])
        XCTAssertFalse(model.state.people[0].view.name.isEmpty, "the core's word for the owner")
        XCTAssertEqual(model.state.people[0].queue?.pending, 1)
        XCTAssertEqual(model.state.selected, selfPersonId)
    }

    @MainActor
    func testAddingAMemberOfflineIsSaidAndKeepsTheForm() async throws {
        let model = HouseholdModel(service: try await withServer())
        await model.load()
        model.setName("見守 太郎")
        model.setDateOfBirth("2015-04-01")
        model.setPhone("08012345678")
        model.setInputId("1234567")
        await model.add()
        XCTAssertNotNil(model.state.error ?? model.state.fieldError, "refused, and said")
        XCTAssertNil(model.state.added)
        XCTAssertEqual(model.state.name, "見守 太郎")
        XCTAssertEqual(model.state.inputId, "1234567")
        XCTAssertEqual(model.state.people.count, 1)
        XCTAssertFalse(model.state.adding)
    }

    @MainActor
    func testHistoryChartAndAnswersInTheCoresWords() async throws {
        let service = try await offline(.en)
        _ = try await service.saveReport(report("37.8", yes: [1], date: yesterday))
        _ = try await service.saveReport(report("36.4"))
        let model = HistoryModel(service: service)
        await model.load()
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.days.count, HistoryModel.days)
        XCTAssertEqual(model.state.points.map(\.celsius), [37.8, 36.4])
        XCTAssertEqual(model.state.points.first?.localDate, yesterday)
        let day = try XCTUnwrap(model.state.days.first { $0.localDate == yesterday })
        let answers = model.state.answers(day)
        XCTAssertEqual(answers.count, 9)
        XCTAssertEqual(answers[1].question, model.state.questions[1].text)
        XCTAssertEqual(answers[1].answer, model.state.questions[1].options.first { $0.choice == .yes }?.label)
        XCTAssertTrue(model.state.days.contains { $0.report == nil }, "days without a report are listed")
    }

    @MainActor
    func testLanguageAndTheNoticeFromTheCore() async throws {
        let preferences = AppPreferences(defaults: UserDefaults(suiteName: "mimamori-\(UUID().uuidString)")!)
        XCTAssertEqual(preferences.languageChoice, .system)
        XCTAssertEqual(LanguageChoice.system.resolve(preferredLanguages: ["fr-FR"]), .ja, "Japanese by default")
        XCTAssertEqual(LanguageChoice.system.resolve(preferredLanguages: ["en-GB"]), .en)
        let service = try await CoreMimamoriService.open(path: databasePath) { preferences.language(preferredLanguages: ["ja-JP"]) }
        let model = SettingsModel(service: service, preferences: preferences)
        await model.load()
        let japanese = try XCTUnwrap(model.state.notice)
        XCTAssertFalse(japanese.paragraphs.isEmpty)
        await model.setLanguage(.en)
        XCTAssertEqual(preferences.languageChoice, .en)
        let english = try XCTUnwrap(model.state.notice)
        XCTAssertNotEqual(english.title, japanese.title)
        XCTAssertEqual(english.paragraphs.count, japanese.paragraphs.count)
    }

    @MainActor
    func testSigningOutWithReportsWaitingWarnsFirstAndKeepsThem() async throws {
        let silent = try SocketServer(.silence)
        let core = try MimamoriCore.openWithTransport(path: databasePath, serverUrl: "http://127.0.0.1:9", transport: StallingUploads(silent: silent))
        _ = try core.login(email: "out@example.jp", password: "Hoshi-zora-42", lang: .ja)
        _ = try core.saveReport(input: report("36.8"), lang: .ja)
        let service = CoreMimamoriService(core: core) { .ja }
        let model = SettingsModel(service: service, preferences: AppPreferences(defaults: UserDefaults(suiteName: UUID().uuidString)!))
        await model.requestSignOut()
        XCTAssertEqual(model.state.signOutWarning, 1)
        XCTAssertFalse(model.state.signedOut)
        var signedIn = try await service.isLoggedIn()
        XCTAssertTrue(signedIn, "nothing happens before the confirmation")
        model.cancelSignOut()
        XCTAssertNil(model.state.signOutWarning)

        await model.requestSignOut()
        await model.confirmSignOut()
        XCTAssertTrue(model.state.signedOut)
        signedIn = try await service.isLoggedIn()
        XCTAssertFalse(signedIn)
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1, "the report stays on the phone")

        let app = AppModel(service: service)
        await app.load()
        XCTAssertEqual(app.state.screen, .start)
    }

    func testTheServerAddressComesFromInfoPlist() {
        XCTAssertEqual(ServerAddress.from(info: [ServerAddress.infoKey: " https://mimamori.example.jp "]), "https://mimamori.example.jp")
        XCTAssertNil(ServerAddress.from(info: [ServerAddress.infoKey: "  "]))
        XCTAssertNil(ServerAddress.from(info: nil))
    }
}
