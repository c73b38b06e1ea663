// The transport contract, Swift side: the iOS shell's URLSessionTransport
// (FoundationNetworking's URLSession on Linux) against the LIVE server and the faults
// tests/live/faults.py serves, both called directly and as the core's transport. The
// same cases run for the Kotlin UrlConnectionTransport (tests/live/kotlin) and the Rust
// reqwest transport (tests/e2e/tests/transport.rs):
//
// success with the core's own headers; a 4xx and a 5xx whose JSON error bodies become
// the core's Server errors in the asked language; a closed port (connect); a server that
// never answers (timeout, within the request's time limit); an answer lost after the
// server committed (broken; the core sends the same batch again and the server answers
// the replay the same way); a batch of 100 reports in one request; a redirect returned,
// not followed.
//
// One account (the contract case made by run.sh) is registered once and logged in by
// the tests that sync; run.sh then checks through the staff API that the case holds
// exactly the 103 reports these tests synced (1 + 2 + 100: no duplicate) and that the
// proxy swallowed exactly one batch answer. Never prints a token, code or password.
import Foundation
import MobileCore
import MimamoriKit
import XCTest

/// Passes every request on to `inner` and keeps what went and what came back.
final class Recording: HttpTransport, @unchecked Sendable {
    /// One exchange: the request and its status, or the failure.
    struct Exchange {
        let request: HttpRequest
        let status: Int?
        let failure: TransportError?
    }

    private let inner: HttpTransport
    private let lock = NSLock()
    private var kept: [Exchange] = []

    init(_ inner: HttpTransport) { self.inner = inner }

    func send(request: HttpRequest) throws -> HttpResponse {
        do {
            let response = try inner.send(request: request)
            keep(Exchange(request: request, status: Int(response.status), failure: nil))
            return response
        } catch let error as TransportError {
            keep(Exchange(request: request, status: nil, failure: error))
            throw error
        }
    }

    private func keep(_ exchange: Exchange) {
        lock.lock()
        kept.append(exchange)
        lock.unlock()
    }

    var exchanges: [Exchange] {
        lock.lock()
        defer { lock.unlock() }
        return kept
    }

    /// The exchanges whose URL ends with `path`.
    func to(_ path: String) -> [Exchange] { exchanges.filter { $0.request.url.hasSuffix(path) } }
}

extension HttpRequest {
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

extension HttpResponse {
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

/// The contract case's account, registered once (see `TransportContractTests.account`).
private let accountLock = NSLock()
nonisolated(unsafe) private var registered: (email: String, password: String)?

final class TransportContractTests: XCTestCase {
    private var dir: URL!
    private let transport = URLSessionTransport()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func open(_ serverUrl: String, _ http: HttpTransport? = nil) throws -> MimamoriCore {
        try MimamoriCore.openWithTransport(
            path: dir.appendingPathComponent("phone.db").path, serverUrl: serverUrl, transport: http ?? transport)
    }

    private func get(_ target: String, timeoutMs: UInt64 = 10_000) -> HttpRequest {
        HttpRequest(
            method: .get, url: target, headers: [HttpHeader(name: "Accept", value: "application/json")],
            body: Data(), timeoutMs: timeoutMs)
    }

    private func postJson(_ target: String, _ json: String) -> HttpRequest {
        HttpRequest(
            method: .post, url: target,
            headers: [
                HttpHeader(name: "Accept", value: "application/json"),
                HttpHeader(name: "Accept-Language", value: "en"),
                HttpHeader(name: "Content-Type", value: "application/json"),
            ],
            body: Data(json.utf8), timeoutMs: 10_000)
    }

    /// A string field of a JSON object body.
    private func field(_ body: Data, _ name: String) -> String? {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?[name] as? String
    }

    /// Runs `body` and returns how long it took, in milliseconds.
    private func millis(_ body: () throws -> Void) rethrows -> Int {
        let start = Date()
        try body()
        return Int(Date().timeIntervalSince(start) * 1000)
    }

    /// Asserts that `body` throws `expected`.
    private func assertFails(_ expected: TransportError, _ body: () throws -> Void, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertEqual(error as? TransportError, expected, "got \(type(of: error)) \(error)", line: line)
        }
    }

    /// The contract case's account: registered once, through the core and this
    /// transport, on a database of its own; later calls return the same one.
    private func account() throws -> (email: String, password: String) {
        accountLock.lock()
        defer { accountLock.unlock() }
        if let registered { return registered }
        let email = try liveEnv("CONTRACT_EMAIL")
        // A password that passes the server's strength rule, made up for this run only.
        let password = "Umi-\(UUID().uuidString.prefix(8))-K5"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-register-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try MimamoriCore.openWithTransport(
            path: folder.appendingPathComponent("register.db").path, serverUrl: liveEnv("URL"), transport: URLSessionTransport())
        _ = try core.requestCode(email: email, lang: .en)
        try core.verifyCode(code: code(for: email), lang: .en)
        try core.setPassword(password: password, lang: .en)
        _ = try core.submitAttributes(
            name: liveEnv("CONTRACT_NAME"), dateOfBirth: liveEnv("CONTRACT_DOB"), phone: liveEnv("CONTRACT_PHONE"),
            inputId: liveEnv("CONTRACT_INPUT_ID"), lang: .en)
        registered = (email, password)
        return (email, password)
    }

    /// A core logged in to the contract account, its HTTP recorded.
    private func loggedIn(_ serverUrl: String, _ recording: Recording) throws -> MimamoriCore {
        let (email, password) = try account()
        let core = try open(serverUrl, recording)
        _ = try core.login(email: email, password: password, lang: .en)
        return core
    }

    func testTheTransportReturnsStatusHeadersAndBodyAsTheServerSent() throws {
        let res = try transport.send(request: get("\(try liveEnv("URL"))/healthz"))
        XCTAssertEqual(res.status, 200)
        XCTAssertTrue((res.header("Content-Type") ?? "").hasPrefix("application/json"))
        XCTAssertEqual(field(res.body, "status"), "ok")
    }

    func testSuccessfulAnswersReachTheCoreWithTheCoresHeaders() throws {
        let url = try liveEnv("URL")
        let recording = Recording(transport)
        let core = try loggedIn(url, recording)
        XCTAssertEqual(try core.refreshProfile(lang: .en).centreName, try liveEnv("CENTRE"))
        _ = try core.saveReport(input: report("36.6"), lang: .en)
        let status = try core.syncNow(lang: .en)
        XCTAssertEqual(status.pending, 0)
        XCTAssertEqual(status.failed, 0)
        XCTAssertNil(status.lastError)

        let login = try XCTUnwrap(recording.to("/api/v1/login").first)
        let profile = try XCTUnwrap(recording.to("/api/v1/profile").last)
        let batches = recording.to("/api/v1/reports:batch")
        XCTAssertEqual(recording.to("/api/v1/login").count, 1)
        XCTAssertEqual(batches.count, 1)
        let batch = try XCTUnwrap(batches.first)
        XCTAssertEqual([login.status, profile.status, batch.status], [200, 200, 200])
        for e in recording.exchanges {
            XCTAssertTrue(e.request.url.hasPrefix("\(url)/api/v1/"))
            XCTAssertEqual(e.request.timeoutMs, 30_000)
            XCTAssertEqual(e.request.header("Accept"), "application/json")
            XCTAssertEqual(e.request.header("Accept-Language"), "en")
            XCTAssertTrue((e.request.header("User-Agent") ?? "").hasPrefix("mimamori-core/"))
        }
        XCTAssertEqual(login.request.method, .post)
        XCTAssertEqual(login.request.header("Content-Type"), "application/json")
        XCTAssertNil(login.request.header("Authorization"), "no token before the login")
        XCTAssertEqual(profile.request.method, .get)
        XCTAssertTrue(profile.request.body.isEmpty)
        XCTAssertNil(profile.request.header("Content-Type"))
        for e in [profile, batch] {
            let auth = e.request.header("Authorization") ?? ""
            XCTAssertTrue(auth.hasPrefix("Bearer ") && auth.count > 20, "the session token is sent")
        }
    }

    func testARefusalReachesTheCoreAsTheServersCodeAndText() throws {
        let url = try liveEnv("URL")
        let email = "nobody-\(try liveEnv("CONTRACT_EMAIL"))"
        let raw = try transport.send(request: postJson("\(url)/api/v1/login", #"{"email":"\#(email)","password":"Wrong-pass-1"}"#))
        XCTAssertEqual(raw.status, 401)
        XCTAssertEqual(field(raw.body, "error"), "login_failed")
        XCTAssertEqual(raw.header("Content-Language"), "en", "Accept-Language reached the server")
        let core = try open(url)
        var reasons: [String] = []
        for lang in [Language.en, .ja] {
            XCTAssertThrowsError(try core.login(email: email, password: "Wrong-pass-1", lang: lang)) { error in
                guard case let CoreError.Server(code, reason) = error else {
                    return XCTFail("expected CoreError.Server, got \(type(of: error))")
                }
                XCTAssertEqual(code, "login_failed")
                reasons.append(reason)
            }
        }
        XCTAssertEqual(reasons.first, field(raw.body, "message"))
        XCTAssertEqual(reasons.count, 2)
        XCTAssertNotEqual(reasons.first, reasons.last, "the Japanese text")
    }

    func testAServerFailureReachesTheCoreAsTheServersCodeAndText() throws {
        let broken = try liveEnv("BROKEN_URL")
        let email = "five-\(try liveEnv("CONTRACT_EMAIL"))"
        let raw = try transport.send(request: postJson("\(broken)/api/v1/registrations", #"{"email":"\#(email)"}"#))
        XCTAssertEqual(raw.status, 503)
        XCTAssertEqual(field(raw.body, "error"), "unavailable")
        let core = try open(broken)
        XCTAssertThrowsError(try core.requestCode(email: email, lang: .en)) { error in
            guard case let CoreError.Server(code, reason) = error else {
                return XCTFail("expected CoreError.Server, got \(type(of: error))")
            }
            XCTAssertEqual(code, "unavailable")
            XCTAssertEqual(reason, self.field(raw.body, "message"))
        }
    }

    func testAClosedPortIsAConnectFailure() throws {
        let closed = try liveEnv("CLOSED_URL")
        let took = millis { assertFails(.Connect) { _ = try transport.send(request: get("\(closed)/healthz")) } }
        XCTAssertLessThan(took, 5_000, "refused at once, not after a time limit")
        let core = try open(closed)
        XCTAssertThrowsError(try core.requestCode(email: "closed-\(try liveEnv("CONTRACT_EMAIL"))", lang: .en)) { error in
            guard case CoreError.Network = error else { return XCTFail("expected CoreError.Network, got \(type(of: error))") }
        }
        _ = try core.saveReport(input: report("36.9"), lang: .en)
        XCTAssertEqual(try core.syncStatus().pending, 1, "the report stays queued")
    }

    func testAServerThatNeverAnswersIsATimeoutWithinTheLimit() throws {
        let stall = try liveEnv("STALL_URL")
        let took = millis { assertFails(.Timeout) { _ = try transport.send(request: get("\(stall)/healthz", timeoutMs: 1_000)) } }
        XCTAssertTrue((900...10_000).contains(took), "ended by the 1 s limit: \(took) ms")
        let core = try open(stall)
        core.setRequestTimeoutMs(timeoutMs: 1_000)
        let email = "stall-\(try liveEnv("CONTRACT_EMAIL"))"
        let coreTook = try millis {
            XCTAssertThrowsError(try core.requestCode(email: email, lang: .en)) { error in
                guard case CoreError.Network = error else { return XCTFail("expected CoreError.Network, got \(type(of: error))") }
            }
        }
        XCTAssertTrue((900...10_000).contains(coreTook), "the core's limit reached the transport: \(coreTook) ms")
    }

    func testAnAnswerLostAfterTheCommitIsSentAgainAndAnsweredTheSame() throws {
        let drop = try liveEnv("DROP_URL")
        assertFails(.Broken) { _ = try transport.send(request: get("\(drop)/healthz")) }

        let recording = Recording(transport)
        let core = try loggedIn(try liveEnv("DROP_BATCH_URL"), recording)
        _ = try core.saveReport(input: report("37.8", yes: [1]), lang: .en)
        _ = try core.saveReport(input: report("36.4"), lang: .en)
        core.setSyncConfig(config: SyncConfig(batchSize: 100, maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200))
        let status = try core.syncNow(lang: .en)
        XCTAssertEqual(status.pending, 0)
        XCTAssertEqual(status.failed, 0, "the replay was accepted, not refused as a conflict")
        XCTAssertNil(status.lastError)

        let batches = recording.to("/api/v1/reports:batch")
        XCTAssertEqual(batches.count, 2, "one lost answer, one answered replay (the transport itself sent once each)")
        guard batches.count == 2 else { return }
        XCTAssertEqual(batches[0].failure, .Broken)
        XCTAssertEqual(batches[1].status, 200)
        XCTAssertEqual(batches[0].request.body, batches[1].request.body, "the same batch, sent again")
    }

    func testAHundredReportsGoInOneRequest() throws {
        let recording = Recording(transport)
        let core = try loggedIn(try liveEnv("URL"), recording)
        for i in 0..<100 {
            _ = try core.saveReport(input: report(i % 10 == 0 ? "37.5" : "36.\(i % 10)"), lang: .en)
        }
        XCTAssertEqual(try core.syncStatus().pending, 100)
        let status = try core.syncNow(lang: .en)
        XCTAssertEqual(status.pending, 0)
        XCTAssertEqual(status.failed, 0)
        let batches = recording.to("/api/v1/reports:batch")
        XCTAssertEqual(batches.count, 1)
        XCTAssertEqual(batches.first?.status, 200)
        XCTAssertGreaterThan(batches.first?.request.body.count ?? 0, 10_000, "a 100-report body")
    }

    func testARedirectIsReturnedNotFollowed() throws {
        let res = try transport.send(request: get("\(try liveEnv("URL"))/"))
        XCTAssertEqual(res.status, 303)
        XCTAssertTrue((res.header("Location") ?? "").hasPrefix("/login"), "the server's redirect, as sent")
    }
}
