// XCTest tests of ReportFormModel against FakeMimamoriService: loading the question
// set, saving and showing the advice, a refused field shown beside that field with the
// form kept, a storage failure, and a double tap while saving.
import MimamoriKit
import MobileCore
import XCTest

final class ReportFormModelTests: XCTestCase {
    private let centre = EmergencyContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")

    @MainActor
    private func loadedForm(_ service: FakeMimamoriService) async -> ReportFormModel {
        let model = ReportFormModel(service: service)
        await model.load()
        return model
    }

    @MainActor
    func testLoadsTheQuestionSetFromTheService() async {
        let model = ReportFormModel(service: FakeMimamoriService())
        XCTAssertTrue(model.state.loading)
        await model.load()
        XCTAssertFalse(model.state.loading)
        XCTAssertEqual(model.state.questions.map(\.id), FakeMimamoriService.questionIds)
        XCTAssertEqual(model.state.answers, Array(repeating: nil, count: 9))
        XCTAssertEqual(model.state.kinds.count, 3)
        XCTAssertEqual(model.state.kind, .infected)
        XCTAssertNil(model.state.advice)
    }

    @MainActor
    func testKindStartsAsTodaysLastReportKind() async {
        let service = FakeMimamoriService()
        let first = await loadedForm(service)
        first.selectKind(.closeContact)
        first.setTemperature("36.5")
        first.answerAll()
        await first.submit()

        let next = await loadedForm(service)
        XCTAssertEqual(next.state.kind, .closeContact)
    }

    @MainActor
    func testSubmitSavesAndExposesTheAdvice() async throws {
        let service = FakeMimamoriService(contact: centre)
        let model = await loadedForm(service)
        model.setTemperature("38.0")
        model.answerAll(yes: ["breathlessness"])
        await model.submit()

        XCTAssertFalse(model.state.saving)
        XCTAssertNil(model.state.fieldError)
        let advice = try XCTUnwrap(model.state.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertTrue(advice.showEmergencyNumber)
        XCTAssertEqual(advice.emergency, centre)
        let saved = await service.saved
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(saved.first?.temperatureTenths, 380)
    }

    @MainActor
    func testInvalidTemperatureShowsTheFieldErrorAndKeepsTheForm() async {
        let service = FakeMimamoriService()
        let model = await loadedForm(service)
        model.setTemperature("43.5")
        model.answerAll(yes: ["cough"])
        let answers = model.state.answers
        await model.submit()

        XCTAssertEqual(model.state.fieldError?.field, "temperature")
        XCTAssertNotNil(model.state.temperatureError)
        XCTAssertNil(model.state.formError)
        XCTAssertNil(model.state.answerError("cough"))
        XCTAssertEqual(model.state.temperature, "43.5")
        XCTAssertEqual(model.state.answers, answers)
        XCTAssertNil(model.state.saved)
        let saved = await service.saved
        XCTAssertTrue(saved.isEmpty)

        model.setTemperature("37.0")
        XCTAssertNil(model.state.temperatureError)
        XCTAssertEqual(model.state.answers, answers)
        await model.submit()
        XCTAssertEqual(model.state.advice?.urgency, .watch)
    }

    @MainActor
    func testMissingAnswerIsShownOnThatQuestion() async {
        let model = await loadedForm(FakeMimamoriService())
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
    func testStorageFailureShowsAnErrorAndKeepsTheForm() async {
        let service = FakeMimamoriService()
        let model = await loadedForm(service)
        model.setTemperature("36.8")
        model.answerAll()
        await service.failNext(with: .storage(detail: "disk full"))
        await model.submit()

        XCTAssertEqual(model.state.error, .storage(detail: "disk full"))
        XCTAssertNil(model.state.fieldError)
        XCTAssertEqual(model.state.temperature, "36.8")
        XCTAssertEqual(model.state.answers, Array(repeating: AnswerChoice.no, count: 9))

        await model.submit()
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.advice?.urgency, .noAction)
        let saved = await service.saved
        XCTAssertEqual(saved.count, 1)
    }

    @MainActor
    func testSecondTapWhileSavingIsIgnored() async {
        let service = FakeMimamoriService()
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
        let saved = await service.saved
        XCTAssertEqual(saved.count, 1)
    }

    @MainActor
    func testStartNewClearsTheForm() async {
        let model = await loadedForm(FakeMimamoriService())
        model.setTemperature("36.5")
        model.answerAll()
        await model.submit()
        XCTAssertNotNil(model.state.saved)

        model.startNew()
        XCTAssertNil(model.state.saved)
        XCTAssertEqual(model.state.temperature, "")
        XCTAssertEqual(model.state.answers, Array(repeating: nil, count: 9))
        XCTAssertEqual(model.state.kind, .infected)
    }
}

extension ReportFormModel {
    /// Answers every question "no", except the question ids in `yes`.
    func answerAll(yes: Set<String> = []) {
        for (i, q) in state.questions.enumerated() {
            answer(i, yes.contains(q.id) ? .yes : .no)
        }
    }
}
