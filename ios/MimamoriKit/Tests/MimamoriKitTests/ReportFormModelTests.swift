// XCTest tests of ReportFormModel on the REAL core: loading the question set, the
// confirm step, saving and showing the advice, a refused field shown beside that field
// with the form kept (and nothing saved), a storage failure injected around the real
// service, a double tap while saving, choosing whose report it is, and the hook that
// runs after a save.
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class ReportFormModelTests: CoreTestCase {
    @MainActor
    private func loadedForm(_ service: any MimamoriService) async -> ReportFormModel {
        let model = ReportFormModel(service: service)
        await model.load()
        return model
    }

    @MainActor
    func testLoadsTheQuestionSetFromTheCore() async throws {
        let model = ReportFormModel(service: try await offline())
        XCTAssertTrue(model.state.loading)
        await model.load()
        XCTAssertFalse(model.state.loading)
        XCTAssertEqual(model.state.questions.map(\.id), [
            "face", "cough", "breathlessness", "fatigue", "nausea", "diarrhoea", "consciousness", "eating", "urination",
        ])
        XCTAssertEqual(model.state.answers, Array(repeating: nil, count: 9))
        XCTAssertEqual(model.state.kinds.count, 3)
        XCTAssertEqual(model.state.kind, .infected)
        XCTAssertEqual(model.state.people.first?.personId, selfPersonId)
        XCTAssertNil(model.state.advice)
    }

    @MainActor
    func testKindStartsAsTodaysLastReportKindElseTheOneChosenAtRegistration() async throws {
        let service = try await offline()
        let chosen = ReportFormModel(service: service, preferredKind: .closeContact)
        await chosen.load()
        XCTAssertEqual(chosen.state.kind, .closeContact)

        let first = await loadedForm(service)
        first.selectKind(.awaitingResult)
        first.setTemperature("36.5")
        first.answerAll()
        await first.submit()
        let next = ReportFormModel(service: service, preferredKind: .closeContact)
        await next.load()
        XCTAssertEqual(next.state.kind, .awaitingResult)
    }

    @MainActor
    func testConfirmThenSaveShowsTheAdviceAndRunsTheHook() async throws {
        let service = try await offline()
        try await service.setEmergencyContact(centre)
        let model = await loadedForm(service)
        var hookRuns = 0
        model.onSaved = { hookRuns += 1 }
        model.setTemperature("38.0")
        model.answerAll(yes: ["breathlessness"])
        model.review()
        XCTAssertTrue(model.state.confirming)
        XCTAssertEqual(model.answerLabel(2), model.state.questions[2].options.first { $0.choice == .yes }?.label)
        model.edit()
        XCTAssertFalse(model.state.confirming)
        XCTAssertEqual(model.state.temperature, "38.0")
        model.review()
        await model.submit()

        XCTAssertFalse(model.state.saving)
        XCTAssertFalse(model.state.confirming)
        XCTAssertNil(model.state.fieldError)
        let advice = try XCTUnwrap(model.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertTrue(advice.showEmergencyNumber)
        XCTAssertEqual(advice.emergency, centre)
        XCTAssertEqual(hookRuns, 1)
        let today = try await service.todayStatus(personId: selfPersonId)
        XCTAssertEqual(today.latest?.temperatureTenths, 380)
        XCTAssertEqual(today.pendingSync, 1, "saved offline, waiting to be sent")
    }

    @MainActor
    func testInvalidTemperatureGoesBackToTheFormBesideTheFieldAndSavesNothing() async throws {
        let service = try await offline(.en)
        let model = await loadedForm(service)
        model.setTemperature("43.5")
        model.answerAll(yes: ["cough"])
        let answers = model.state.answers
        model.review()
        await model.submit()

        XCTAssertFalse(model.state.confirming, "back on the form")
        XCTAssertEqual(model.state.fieldError?.field, "temperature")
        XCTAssertFalse((model.state.temperatureError ?? "").isEmpty)
        XCTAssertNil(model.state.formError)
        XCTAssertNil(model.state.answerError("cough"))
        XCTAssertEqual(model.state.temperature, "43.5")
        XCTAssertEqual(model.state.answers, answers)
        XCTAssertNil(model.state.saved)
        let before = try await service.todayStatus(personId: selfPersonId)
        XCTAssertFalse(before.reportedToday)

        model.setTemperature("37.0")
        XCTAssertNil(model.state.temperatureError)
        XCTAssertEqual(model.state.answers, answers)
        await model.submit()
        XCTAssertEqual(model.state.advice?.urgency, .watch)
    }

    @MainActor
    func testMissingAnswerIsShownOnThatQuestion() async throws {
        let model = await loadedForm(try await offline())
        model.setTemperature("36.5")
        for (i, q) in model.state.questions.enumerated() where q.id != "fatigue" {
            model.answer(i, .no)
        }
        await model.submit()

        XCTAssertNotNil(model.state.answerError("fatigue"))
        XCTAssertNil(model.state.answerError("cough"))
        XCTAssertNil(model.state.temperatureError)
        XCTAssertEqual(model.state.temperature, "36.5")

        model.answer(model.state.questions.firstIndex { $0.id == "fatigue" }!, .unknown)
        XCTAssertNil(model.state.answerError("fatigue"))
    }

    @MainActor
    func testStorageFailureShowsAnErrorAndKeepsTheForm() async throws {
        let real = try await offline()
        let service = FailureInjectingService(real)
        let model = await loadedForm(service)
        model.setTemperature("36.8")
        model.answerAll()
        await service.failNext(with: .storage(detail: "disk full"))
        await model.submit()

        XCTAssertEqual(model.state.error, .storage(detail: "disk full"))
        XCTAssertNil(model.state.fieldError)
        XCTAssertEqual(model.state.temperature, "36.8")
        XCTAssertEqual(model.state.answers, Array(repeating: AnswerChoice.no, count: 9))
        let before = try await real.todayStatus(personId: selfPersonId)
        XCTAssertFalse(before.reportedToday)

        await model.submit()
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.advice?.urgency, .noAction)
        let after = try await real.history(personId: selfPersonId, days: 1)
        XCTAssertEqual(after.last?.reportsThatDay, 1)
    }

    @MainActor
    func testSecondTapWhileSavingIsIgnored() async throws {
        let real = try await offline()
        let service = FailureInjectingService(real)
        let model = await loadedForm(service)
        model.setTemperature("36.5")
        model.answerAll()
        await service.holdSaves()

        let first = Task { await model.submit() }
        while !model.state.saving { await Task.yield() }
        await model.submit()  // returns at once: a save is running
        XCTAssertTrue(model.state.saving)
        await service.releaseSaves()
        await first.value

        XCTAssertFalse(model.state.saving)
        let days = try await real.history(personId: selfPersonId, days: 1)
        XCTAssertEqual(days.last?.reportsThatDay, 1)
    }

    @MainActor
    func testReportAgainGivesAFreshEmptyFormAndKeepsTheKind() async throws {
        let main = MainModel(service: try await offline(), preferences: AppPreferences(defaults: UserDefaults(suiteName: "form-\(UUID().uuidString)")!))
        await main.report()
        let first = main.form
        first.selectKind(.closeContact)
        first.setTemperature("36.5")
        first.answerAll()
        await first.submit()
        XCTAssertNotNil(first.state.saved)

        await main.reportDone()
        XCTAssertEqual(main.tab, .home)
        XCTAssertTrue(main.today.state.reportedToday)
        await main.report()
        let second = main.form
        XCTAssertFalse(second === first, "a new visit, a new form")
        XCTAssertNil(second.state.saved)
        XCTAssertEqual(second.state.temperature, "")
        XCTAssertEqual(second.state.answers, Array(repeating: nil, count: 9))
        XCTAssertEqual(second.state.kind, .closeContact, "today's last report's kind")
    }

    @MainActor
    func testABlankPersonIsRefusedByTheCore() async throws {
        let model = ReportFormModel(service: try await offline(), personId: "   ")
        await model.load()
        model.setTemperature("36.5")
        model.answerAll()
        await model.submit()
        XCTAssertEqual(model.state.fieldError?.field, "person_id")
        XCTAssertNotNil(model.state.formError, "shown at the top of the form")
        XCTAssertNil(model.state.saved)
    }
}
