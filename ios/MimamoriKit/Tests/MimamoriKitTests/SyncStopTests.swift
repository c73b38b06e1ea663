// XCTest tests of a sync the phone stops, on the REAL core (binding + libmobile_core.so)
// with URLSessionTransport against a silent server inside the test (SocketServer from
// URLSessionTransportTests): login and profile get canned answers, every upload goes
// to the server that never answers. A SyncStop cancelled from another thread, a
// cancelled task and a time limit each make the service's sync throw
// ServiceError.cancelled quickly; the report stays queued and no request starts after
// the cancel.
import Foundation
import MimamoriKit
import MobileCore
import XCTest

/// Answers login and profile itself; sends uploads through URLSessionTransport to
/// `silent`, which never answers.
final class StallingUploads: HttpTransport, @unchecked Sendable {
    private let real = URLSessionTransport()
    private let silent: SocketServer
    private let lock = NSLock()
    private var count = 0

    init(silent: SocketServer) {
        self.silent = silent
    }

    var uploads: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func send(request: HttpRequest) throws -> HttpResponse {
        if let answer = signInAnswer(request) { return answer }
        lock.lock()
        count += 1
        lock.unlock()
        let path = String(request.url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
        let upload = HttpRequest(method: request.method, url: silent.url + path, headers: request.headers,
                                 body: request.body, timeoutMs: request.timeoutMs)
        return try real.send(request: upload)
    }
}

final class SyncStopTests: XCTestCase {
    private var dir: URL!
    private var silent: SocketServer!
    private var transport: StallingUploads!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        silent = try SocketServer(.silence)
        transport = StallingUploads(silent: silent)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    /// A signed-in service with one report waiting; `requestTimeoutMs` per request.
    private func signedIn(requestTimeoutMs: UInt64?) throws -> CoreMimamoriService {
        let core = try MimamoriCore.openWithTransport(
            path: dir.appendingPathComponent("phone.db").path, serverUrl: "http://127.0.0.1:9", transport: transport)
        _ = try core.login(email: "stop@example.jp", password: "Hoshi-zora-42", lang: .en)
        if let ms = requestTimeoutMs { core.setRequestTimeoutMs(timeoutMs: ms) }
        core.setSyncConfig(config: SyncConfig(batchSize: 100, maxAttempts: 50, baseDelayMs: 5_000, maxDelayMs: 20_000))
        let input = ReportInput(personId: "self", localDate: nil, kind: .infected, temperature: "36.8",
                                answers: Array(repeating: AnswerChoice.no, count: 9))
        _ = try core.saveReport(input: input, lang: .en)
        return CoreMimamoriService(core: core) { .en }
    }

    private func assertCancelled(_ error: Error, line: UInt = #line) {
        guard case .cancelled? = error as? ServiceError else {
            return XCTFail("expected cancelled, got \(error)", line: line)
        }
    }

    func testAStopCancelledFromAnotherThreadEndsTheSyncQuickly() async throws {
        let service = try signedIn(requestTimeoutMs: 1_000)
        let stop = SyncStop()
        let cancelledAt = LockedDate()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            cancelledAt.set(Date())
            stop.cancel()
        }
        do {
            _ = try await service.sync(stop: stop, timeLimitMs: nil)
            XCTFail("the sync should have been stopped")
        } catch {
            assertCancelled(error)
        }
        let after = Date().timeIntervalSince(cancelledAt.get() ?? Date())
        print("ios sync: returned \(Int(after * 1000)) ms after the cancel")
        // The cancel met the upload on the network: its 1 s limit, then the call ends.
        XCTAssertLessThan(after, 3.0)
        XCTAssertEqual(transport.uploads, 1, "no request after the cancel")
        let today = try await service.todayStatus(personId: selfPersonId)
        XCTAssertEqual(today.pendingSync, 1, "the report stays queued")
    }

    func testACancelledTaskEndsTheSync() async throws {
        let service = try signedIn(requestTimeoutMs: 1_000)
        let task = Task { try await service.sync() }
        try await Task.sleep(nanoseconds: 300_000_000)
        let start = Date()
        task.cancel()
        let result = await task.result
        let took = Date().timeIntervalSince(start)
        print("ios sync: a cancelled task returned after \(Int(took * 1000)) ms")
        if case let .failure(error) = result { assertCancelled(error) } else { XCTFail("the sync should have been stopped") }
        XCTAssertLessThan(took, 3.0)
        XCTAssertEqual(transport.uploads, 1)
    }

    func testATimeLimitBoundsTheUploadAgainstAServerThatNeverAnswers() async throws {
        // The default 30 s request limit: the time limit cuts it to what is left.
        let service = try signedIn(requestTimeoutMs: nil)
        let start = Date()
        do {
            _ = try await service.sync(stop: SyncStop(), timeLimitMs: 800)
            XCTFail("the sync should have been stopped")
        } catch {
            assertCancelled(error)
        }
        let took = Date().timeIntervalSince(start)
        print("ios sync: a time limit of 800 ms returned after \(Int(took * 1000)) ms")
        XCTAssertLessThan(took, 0.8 + 2.0)
        let today = try await service.todayStatus(personId: selfPersonId)
        XCTAssertEqual(today.pendingSync, 1)
    }
}

/// A date set on one thread and read on another.
final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date?

    func set(_ date: Date) {
        lock.lock()
        value = date
        lock.unlock()
    }

    func get() -> Date? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
