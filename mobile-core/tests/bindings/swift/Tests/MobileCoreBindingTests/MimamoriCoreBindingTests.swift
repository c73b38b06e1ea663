// XCTest tests of the generated Swift binding of the phone core: the daily-report
// flow, refused input, the urgent-symptom check and a damaged database, each on a
// temporary database file, through the same calls the iOS app makes.
import Foundation
import MobileCore
import XCTest

final class MimamoriCoreBindingTests: XCTestCase {
    private var dir: URL!
    private let centre = EmergencyContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    private func openCore() throws -> MimamoriCore {
        try MimamoriCore.open(path: dir.appendingPathComponent("mimamori.db").path)
    }

    /// Nine answers, all "no" except the zero-based indices given.
    private func answers(yes: Set<Int> = []) -> [AnswerChoice] {
        (0..<9).map { yes.contains($0) ? .yes : .no }
    }

    private func report(_ temperature: String, _ answers: [AnswerChoice]) -> ReportInput {
        ReportInput(personId: "self", localDate: nil, kind: .infected, temperature: temperature, answers: answers)
    }

    func testQuestionsAreNineInJapanese() throws {
        let core = try openCore()
        let questions = core.questions(lang: .ja)
        XCTAssertEqual(questions.count, 9)
        XCTAssertEqual(questions.map(\.number), Array(1...9))
        XCTAssertEqual(questions.first?.text, "顔色、表情はいつもどおりですか")
        XCTAssertEqual(questions.first?.options.map(\.code), [1, 2, 9])
        XCTAssertEqual(questions[2].id, "breathlessness")
        XCTAssertNotEqual(core.questions(lang: .en).first?.text, questions.first?.text)
    }

    func testDailyReportsTodayStatusHistoryAndOutbox() throws {
        let core = try openCore()
        XCTAssertNil(try core.emergencyContact())
        try core.setEmergencyContact(contact: centre, lang: .ja)
        XCTAssertEqual(try core.emergencyContact(), centre)

        let first = try core.saveReport(input: report("36.5", answers()), lang: .ja)
        XCTAssertEqual(first.advice.urgency, .noAction)
        XCTAssertFalse(first.advice.showEmergencyNumber)

        // Question 3 is breathlessness: "yes" calls for the emergency number now.
        let second = try core.saveReport(input: report("38.0", answers(yes: [2])), lang: .ja)
        XCTAssertNotEqual(first.reportId, second.reportId)
        XCTAssertEqual(second.advice.urgency, .callNow)

        let today = try core.todayStatus(personId: "self", lang: .ja)
        XCTAssertTrue(today.reportedToday)
        let latest = try XCTUnwrap(today.latest)
        XCTAssertEqual(latest.reportId, second.reportId)
        XCTAssertEqual(latest.personId, "self")
        XCTAssertEqual(latest.localDate, today.localDate)
        XCTAssertEqual(latest.temperatureTenths, 380)
        XCTAssertEqual(latest.kind, .infected)
        XCTAssertEqual(latest.answers, answers(yes: [2]))
        XCTAssertEqual(latest.urgency, .callNow)
        XCTAssertTrue(latest.pendingSync)
        let advice = try XCTUnwrap(today.advice)
        XCTAssertEqual(advice.urgency, .callNow)
        XCTAssertTrue(advice.showEmergencyNumber)
        XCTAssertEqual(advice.emergency, centre)
        XCTAssertTrue(advice.headline.contains("緊急連絡先"), advice.headline)
        XCTAssertTrue(advice.checkGroups.contains { $0.id == "breathing" }, "\(advice.checkGroups.map(\.id))")
        XCTAssertEqual(today.pendingSync, 2)

        let history = try core.history(personId: "self", days: 7, lang: .ja)
        XCTAssertEqual(history.count, 7)
        XCTAssertEqual(history.map(\.localDate), history.map(\.localDate).sorted())
        let todayEntry = try XCTUnwrap(history.last)
        XCTAssertEqual(todayEntry.localDate, today.localDate)
        XCTAssertEqual(todayEntry.reportsThatDay, 2)
        XCTAssertEqual(todayEntry.report?.temperatureTenths, 380)
        XCTAssertEqual(todayEntry.report?.reportId, second.reportId)
        for day in history.dropLast() {
            XCTAssertNil(day.report, day.localDate)
            XCTAssertEqual(day.reportsThatDay, 0, day.localDate)
        }

        XCTAssertEqual(try core.pendingSyncCount(), 2)

        XCTAssertThrowsError(try core.saveReport(input: report("43.5", answers()), lang: .ja)) { error in
            guard case let CoreError.Invalid(field, _) = error else {
                return XCTFail("expected CoreError.Invalid, got \(error)")
            }
            XCTAssertEqual(field, "temperature")
        }
        XCTAssertEqual(try core.pendingSyncCount(), 2)
        XCTAssertEqual(try core.history(personId: "self", days: 1, lang: .ja).first?.reportsThatDay, 2)
    }

    func testUrgentSymptomCheckGivesTheEmergencyContact() throws {
        let core = try openCore()
        try core.setEmergencyContact(contact: centre, lang: .ja)

        let lips = try core.checkUrgentSymptoms(
            input: ChecklistInput(kind: .infected, symptomIds: ["purple_lips"], cough: false, fever: false),
            lang: .ja
        )
        XCTAssertEqual(lips.urgency, .callNow)
        XCTAssertTrue(lips.showEmergencyNumber)
        XCTAssertEqual(lips.emergency, centre)

        let nothing = try core.checkUrgentSymptoms(
            input: ChecklistInput(kind: .infected, symptomIds: [], cough: false, fever: false),
            lang: .ja
        )
        XCTAssertEqual(nothing.urgency, .noAction)
        XCTAssertFalse(nothing.showEmergencyNumber)
    }

    func testCorruptDatabaseIsReportedAndLeftUntouched() throws {
        let path = dir.appendingPathComponent("damaged.db")
        let garbage = Data((0..<4096).map { UInt8(($0 * 31 + 7) % 251) })
        try garbage.write(to: path)

        XCTAssertThrowsError(try MimamoriCore.open(path: path.path)) { error in
            XCTAssertEqual(error as? CoreError, .Corrupt)
        }

        XCTAssertTrue(FileManager.default.fileExists(atPath: path.path))
        XCTAssertEqual(try Data(contentsOf: path), garbage)
    }
}
