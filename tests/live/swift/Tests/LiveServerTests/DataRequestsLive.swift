// The person's data requests through the iOS screen model (DataRequestsModel) against
// the LIVE backend, and the health centre answering them on its own page (signed in as
// the centre's admin, as staff do; the password read from the file tests/live/run.sh
// writes): a temperature correction of a sent report filed (received), answered and
// shown corrected; a suspension refused with the centre's reason; the disclosure with
// the person's report and its corrected temperature beside it. Never prints a value.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MimamoriKit
import MobileCore
import XCTest

/// Keeps a redirect's answer (its cookies) instead of following it.
private final class NoRedirect: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// One request to the server's pages, redirects not followed: status, Set-Cookie, body.
private func page(_ path: String, cookie: String?, form: String?) throws -> (Int, String, String) {
    let config = URLSessionConfiguration.ephemeral
    config.httpShouldSetCookies = false
    config.httpCookieStorage = nil
    let session = URLSession(configuration: config, delegate: NoRedirect(), delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    var request = URLRequest(url: URL(string: try liveEnv("URL") + path)!)
    if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
    if let form {
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.utf8)
    }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String, String) = (0, "", "")
    session.dataTask(with: request) { data, response, _ in
        let http = response as? HTTPURLResponse
        result = (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Set-Cookie") ?? "",
                  data.map { String(decoding: $0, as: UTF8.self) } ?? "")
        done.signal()
    }.resume()
    done.wait()
    return result
}

/// `name=value` of the cookie `name` in a Set-Cookie header (one or several joined).
private func cookie(_ name: String, in header: String) throws -> String {
    guard let at = header.range(of: "\(name)=") else {
        XCTFail("no \(name) cookie")
        throw CocoaError(.fileReadNoSuchFile)
    }
    return name + "=" + header[at.upperBound...].prefix { $0 != ";" && $0 != "," }
}

/// The `value` of the first form field named `name`.
private func formField(_ html: String, _ name: String) throws -> String {
    guard let at = html.range(of: "name=\"\(name)\" value=\"") else {
        XCTFail("no \(name) field on the page")
        throw CocoaError(.fileReadNoSuchFile)
    }
    return String(html[at.upperBound...].prefix { $0 != "\"" })
}

private func enc(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
}

/// The centre answers request `id` on its page with `fields` (`action=corrected&value=…`);
/// the answer's HTTP status (303 when taken).
func answerOnCentrePage(_ id: String, _ fields: String) throws -> Int {
    let password = try String(contentsOfFile: try liveEnv("ADMIN_PASSWORD_FILE"), encoding: .utf8)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    let (_, loginCookies, loginPage) = try page("/login", cookie: nil, form: nil)
    let form = "email=\(enc(try liveEnv("ADMIN_EMAIL")))&password=\(enc(password))&csrf=\(try formField(loginPage, "csrf"))&next=%2F"
    let (_, staffCookies, _) = try page("/login", cookie: try cookie("mimamori_login", in: loginCookies), form: form)
    let session = try cookie("mimamori_staff", in: staffCookies)
    let (_, _, list) = try page("/rights", cookie: session, form: nil)
    XCTAssertTrue(list.contains("id=\"request-\(id)\""), "the request is on the centre's page")
    return try page("/rights/\(id)/answer", cookie: session, form: "csrf=\(try formField(list, "csrf"))&\(fields)").0
}

extension AppLiveTests {
    /// Files, has answered and reads back the person's requests through the screen model.
    @MainActor
    func dataRequestsAnsweredByTheCentre(_ service: CoreMimamoriService) async throws {
        let model = DataRequestsModel(service: service)
        await model.load()
        XCTAssertNil(model.state.error)
        let sent = try XCTUnwrap(model.state.reports.first, "a sent report is offered")
        model.setKind(.correction)
        model.setItem(.temperature)
        model.pickReport(sent.reportId)
        model.setValue("36.4")
        model.confirm()
        await model.send()
        let filed = try XCTUnwrap(model.state.filed, "\(String(describing: model.state.error ?? model.state.fieldError))")
        XCTAssertEqual(filed.status, .open)
        XCTAssertEqual(filed.statusLabel, "受付済み（保健所で確認中）")
        XCTAssertEqual(model.state.requests.first?.id, filed.id, "the list shows it, newest first")

        XCTAssertEqual(try answerOnCentrePage(filed.id, "action=corrected&value=36.4"), 303)
        await model.load()
        let answered = try XCTUnwrap(model.state.requests.first { $0.id == filed.id })
        XCTAssertEqual(answered.status, .corrected)
        XCTAssertEqual(answered.statusLabel, "訂正済み")
        XCTAssertEqual(answered.correctedValue, "36.4")
        // The phone's own history now shows the corrected temperature for that report.
        let history = HistoryModel(service: service)
        await history.load()
        let day = try XCTUnwrap(history.state.days.first { $0.report?.reportId == sent.reportId }, "the report's day is in the history")
        XCTAssertEqual(day.report?.temperatureTenths, 364, "the history shows the corrected value")

        model.setKind(.suspension)
        model.setNote("健康観察が終わったため")
        model.confirm()
        await model.send()
        let suspension = try XCTUnwrap(model.state.filed)
        XCTAssertEqual(try answerOnCentrePage(suspension.id, "action=refused&reason=\(enc("観察期間中のため停止できません"))"), 303)
        await model.load()
        let refused = try XCTUnwrap(model.state.requests.first { $0.id == suspension.id })
        XCTAssertEqual(refused.status, .refused)
        XCTAssertEqual(refused.reason, "観察期間中のため停止できません")

        await model.loadDisclosure()
        let disclosure = try XCTUnwrap(model.state.disclosure, "\(String(describing: model.state.error))")
        let registered = try liveEnv("APP_NAME")
        XCTAssertTrue(disclosure.name == registered, "the disclosure holds the registered name")
        XCTAssertFalse(disclosure.suspended)
        let held = try XCTUnwrap(disclosure.reports.first { $0.reportId == sent.reportId })
        XCTAssertEqual(held.temperature, String(format: "%d.%d", Int(sent.temperatureTenths) / 10, Int(sent.temperatureTenths) % 10))
        XCTAssertEqual(held.correctedTemperature, "36.4")
        // Everything else held, in the person's language: the sign-in account, and who
        // read the data (the centre answering on its page read the request list).
        let account = try XCTUnwrap(disclosure.sections.first { $0.id == "account" })
        XCTAssertEqual(account.title, "ログインに使うアカウント")
        XCTAssertTrue(account.rows.joined().contains(try liveEnv("APP_EMAIL")), "the sign-in e-mail is disclosed")
        XCTAssertEqual(Set(disclosure.sections.map(\.id)), ["account", "notification", "contacts", "handlings", "calls", "transfers", "household", "access"])
    }
}
