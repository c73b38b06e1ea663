// Shared by the model tests: a temporary folder per test and the REAL phone core
// (binding + libmobile_core.so) opened in it — offline, or with a server address and
// a transport that has no network (every request fails to connect, as on a phone in
// airplane mode) — plus today's report inputs and canned sign-in answers.
import Foundation
import MimamoriKit
import MobileCore
import XCTest

/// A phone without network: every request fails to connect.
final class NoNetwork: HttpTransport, @unchecked Sendable {
    func send(request: HttpRequest) throws -> HttpResponse {
        throw TransportError.Connect
    }
}

/// The server's answer to sign-in and to the profile request, as the server words them;
/// `nil` for any other request.
func signInAnswer(_ request: HttpRequest) -> HttpResponse? {
    let json: String
    if request.url.hasSuffix("/api/v1/login") {
        json = #"{"token":"session-token","expires_at":"2030-01-01T00:00:00Z"}"#
    } else if request.url.hasSuffix("/api/v1/profile") {
        json = #"{"kind":"infected","observation":"app","period_start":"2026-01-01","period_end":"2030-01-01","#
            + #""centre_name":"みなと保健所","emergency_number":"03-1234-5678"}"#
    } else {
        return nil
    }
    return HttpResponse(status: 200, headers: [HttpHeader(name: "Content-Type", value: "application/json")], body: Data(json.utf8))
}

/// A test case with a fresh folder and helpers to open the real core in it.
class CoreTestCase: XCTestCase {
    var dir: URL!
    let centre = EmergencyContact(centreName: "〇〇保健所", phoneNumber: "03-1234-5678")
    /// The server the offline-with-server core is opened with.
    let server = "https://mimamori.example.jp"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    var databasePath: String { dir.appendingPathComponent("mimamori.db").path }

    /// The real core, offline only.
    func offline(_ lang: Language = .ja) async throws -> CoreMimamoriService {
        try await CoreMimamoriService.open(path: databasePath) { lang }
    }

    /// The real core opened with `server` as the app opens it, on a phone without network.
    func withServer(_ lang: Language = .ja) async throws -> CoreMimamoriService {
        try await CoreMimamoriService.open(path: databasePath, serverUrl: server, transport: NoNetwork()) { lang }
    }

    /// Today's report with `temperature`, "yes" to the questions in `yes` (by index).
    func report(_ temperature: String, yes: Set<Int> = [], personId: String = selfPersonId, date: String? = nil) -> ReportInput {
        ReportInput(personId: personId, localDate: date, kind: .infected, temperature: temperature,
                    answers: (0..<9).map { yes.contains($0) ? .yes : .no })
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
