// The history screen's model: the last days of one person's reports as the core
// keeps them — the temperature chart's points (one per day that has a report, in
// °C) and each day's answers worded by the core's question set. Days without a
// report are listed as such.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class HistoryModel: ObservableObject {
    /// One point of the temperature chart.
    public struct Point: Equatable, Sendable {
        /// The report's day, `YYYY-MM-DD`.
        public var localDate: String
        /// The temperature in °C.
        public var celsius: Double
    }

    /// One answer as the history lists it.
    public struct AnswerLine: Equatable, Sendable {
        public var question: String
        public var answer: String
    }

    public struct State: Equatable {
        public var loading = true
        public var personId = selfPersonId
        public var days: [HistoryDay] = []
        public var questions: [QuestionView] = []
        public var error: ServiceError?

        /// The chart: days with a report, oldest first.
        public var points: [Point] {
            days.compactMap { day in
                day.report.map { Point(localDate: day.localDate, celsius: Double($0.temperatureTenths) / 10) }
            }
        }

        /// The answers of `day`'s effective report, in the core's words.
        public func answers(_ day: HistoryDay) -> [AnswerLine] {
            guard let report = day.report else { return [] }
            return zip(questions, report.answers).map { question, choice in
                AnswerLine(
                    question: question.text,
                    answer: question.options.first { $0.choice == choice }?.label ?? ""
                )
            }
        }
    }

    /// How many days the screen shows.
    public static let days = 14

    @Published public private(set) var state = State()
    private let service: any MimamoriService

    public init(service: any MimamoriService) {
        self.service = service
    }

    /// Loads `personId`'s last days and the question set that words their answers.
    public func load(personId: String? = nil) async {
        if let personId { state.personId = personId }
        state.loading = true
        if state.questions.isEmpty {
            state.questions = await service.questions()
        }
        do {
            state.days = try await service.history(personId: state.personId, days: Self.days)
            state.error = nil
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }
}
