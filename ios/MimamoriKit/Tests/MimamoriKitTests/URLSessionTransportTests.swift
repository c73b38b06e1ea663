// XCTest tests of URLSessionTransport against a tiny socket server inside the test, no
// live backend: the request goes out exactly as the core built it and the answer comes
// back whole, a 401's JSON body included; redirects are returned, not followed; a
// refused port is Connect, a silent server Timeout within the limit, a connection closed
// after the request Broken with the POST sent once. The service opens the core with the
// transport and keeps the core's address rule. The live contract suite is tests/live/swift.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MimamoriKit
import MobileCore
import XCTest

/// A loopback TCP server: each connection's request bytes are kept, then `reply`
/// decides what happens (an answer's raw bytes, silence, or a close).
final class SocketServer: @unchecked Sendable {
    enum Reply { case answer(String), silence, close }

    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var requests: [Data] = []
    private var clients: [Int32] = []

    init(_ reply: Reply) throws {
        #if os(Linux)
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let sock = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, len) == 0 && getsockname(sock, $0, &len) == 0 }
        }
        guard bound, listen(sock, 16) == 0 else {
            close(sock)
            throw CocoaError(.fileReadUnknown)
        }
        fd = sock
        port = UInt16(bigEndian: addr.sin_port)
        let listener = sock
        // Ends when the listening socket is shut down (deinit), and only then closes it:
        // a number closed elsewhere could be given to the next test's socket while this
        // thread still accepts on it.
        Thread.detachNewThread { [weak self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { break }
                guard let self else { close(client); break }
                self.serve(client, reply)
            }
            close(listener)
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The raw requests received so far, one per connection.
    var received: [Data] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    private func serve(_ client: Int32, _ reply: Reply) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Read until the headers and the body their Content-Length announces are in.
        while true {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            request.append(contentsOf: buffer[0..<n])
            guard let end = request.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let head = String(decoding: request[..<end.lowerBound], as: UTF8.self).lowercased()
            let length = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if request.count - end.upperBound >= length { break }
        }
        lock.lock()
        requests.append(request)
        clients.append(client)
        lock.unlock()
        switch reply {
        case let .answer(raw):
            let bytes = Array(raw.utf8)
            _ = write(client, bytes, bytes.count)
            // Close gracefully: closing with unread bytes still in the socket (a body
            // sent in chunks, say) would reset the connection before the client has read
            // the answer. Stop writing, read what is left until the client closes (at
            // most a second), then close.
            shutdown(client, Int32(SHUT_WR))
            var tv = timeval(tv_sec: 1, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            while read(client, &buffer, buffer.count) > 0 {}
            closeClient(client)
        case .silence:
            break
        case .close:
            closeClient(client)
        }
    }

    /// Closes a client connection once: it leaves the list deinit closes, so a number
    /// the system has meanwhile given to another socket (the next test's server, the
    /// next connection) is never closed a second time.
    private func closeClient(_ client: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if let i = clients.firstIndex(of: client) {
            clients.remove(at: i)
            close(client)
        }
    }

    deinit {
        // Wakes the accepting thread, which closes the socket.
        shutdown(fd, Int32(SHUT_RDWR))
        // Only the connections still open (a silent reply's).
        for c in clients { close(c) }
    }
}

final class URLSessionTransportTests: XCTestCase {
    private let transport = URLSessionTransport()

    private func request(_ method: HttpMethod, _ url: String, body: String = "", timeoutMs: UInt64 = 5_000) -> HttpRequest {
        HttpRequest(
            method: method, url: url,
            headers: [
                HttpHeader(name: "Accept", value: "application/json"),
                HttpHeader(name: "Accept-Language", value: "ja"),
                HttpHeader(name: "User-Agent", value: "mimamori-core/test"),
                HttpHeader(name: "Authorization", value: "Bearer test-token"),
                HttpHeader(name: "Content-Type", value: "application/json"),
            ],
            body: Data(body.utf8), timeoutMs: timeoutMs)
    }

    private func answer(_ status: String, _ headers: [String] = [], body: String = "") -> SocketServer.Reply {
        let lines = ["HTTP/1.1 \(status)", "Content-Length: \(body.utf8.count)", "Connection: close"] + headers
        return .answer(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    private func assertFails(_ expected: TransportError, _ body: () throws -> Void, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertEqual(error as? TransportError, expected, "got \(error)", line: line)
        }
    }

    func testTheRequestGoesOutAsBuiltAndTheAnswerComesBackWhole() throws {
        let server = try SocketServer(answer("201 Created", ["Retry-After: 7", "Content-Type: application/json"], body: #"{"results":[]}"#))
        let res = try transport.send(request: request(.post, "\(server.url)/api/v1/reports:batch", body: #"{"reports":[]}"#))
        XCTAssertEqual(res.status, 201)
        XCTAssertEqual(String(data: res.body, encoding: .utf8), #"{"results":[]}"#)
        XCTAssertEqual(res.headers.first { $0.name.lowercased() == "retry-after" }?.value, "7")
        let raw = String(data: try XCTUnwrap(server.received.first), encoding: .utf8) ?? ""
        let lower = raw.lowercased()
        XCTAssertTrue(raw.hasPrefix("POST /api/v1/reports:batch HTTP/1.1\r\n"), raw)
        for line in ["accept: application/json", "accept-language: ja", "user-agent: mimamori-core/test",
                     "authorization: bearer test-token", "content-type: application/json"] {
            XCTAssertTrue(lower.contains("\r\n\(line)\r\n"), "\(line) was sent")
        }
        XCTAssertTrue(raw.hasSuffix(#"{"reports":[]}"#), "the body as built")
        XCTAssertEqual(server.received.count, 1)
    }

    func testErrorAnswersKeepTheirBodiesA401Included() throws {
        for status in ["400 Bad Request", "401 Unauthorized", "429 Too Many Requests", "503 Service Unavailable"] {
            let json = #"{"error":"e","message":"m"}"#
            let server = try SocketServer(answer(status, ["Content-Type: application/json"], body: json))
            let res = try transport.send(request: request(.post, "\(server.url)/api/v1/login", body: "{}"))
            XCTAssertEqual(String(res.status), String(status.prefix(3)))
            XCTAssertEqual(String(data: res.body, encoding: .utf8), json, "the body of a \(status)")
            XCTAssertEqual(server.received.count, 1, "sent once")
        }
    }

    func testARedirectIsReturnedNotFollowed() throws {
        let server = try SocketServer(answer("303 See Other", ["Location: /elsewhere"]))
        let res = try transport.send(request: request(.get, "\(server.url)/start"))
        XCTAssertEqual(res.status, 303)
        XCTAssertEqual(res.headers.first { $0.name.lowercased() == "location" }?.value, "/elsewhere")
        XCTAssertEqual(server.received.count, 1)
    }

    func testCertificateAndHandshakeFailuresAreTls() {
        for code in [URLError.Code.secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                     .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot] {
            XCTAssertEqual(URLSessionTransport.classify(URLError(code)), .Tls, "\(code)")
        }
        XCTAssertEqual(URLSessionTransport.classify(URLError(.cannotConnectToHost)), .Connect)
        XCTAssertEqual(URLSessionTransport.classify(URLError(.timedOut)), .Timeout)
    }

    func testARefusedPortIsConnect() throws {
        assertFails(.Connect) { _ = try transport.send(request: request(.get, "http://127.0.0.1:1/x")) }
        assertFails(.Connect) { _ = try transport.send(request: request(.get, "not a url")) }
    }

    func testASilentServerIsATimeoutWithinTheLimit() throws {
        let server = try SocketServer(.silence)
        let start = Date()
        assertFails(.Timeout) { _ = try transport.send(request: request(.post, "\(server.url)/x", body: "{}", timeoutMs: 700)) }
        let took = Date().timeIntervalSince(start)
        XCTAssertTrue((0.6...5).contains(took), "ended by the limit: \(took) s")
    }

    func testAConnectionClosedAfterThePostIsBrokenAndThePostWentOnce() throws {
        let server = try SocketServer(.close)
        assertFails(.Broken) { _ = try transport.send(request: request(.post, "\(server.url)/api/v1/reports:batch", body: "{}")) }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(server.received.count, 1, "the stack did not send the POST again")
    }

    func testTheServiceOpensTheCoreWithTheTransport() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mimamori-transport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try await CoreMimamoriService.open(
                path: dir.appendingPathComponent("a.db").path, serverUrl: "http://example.jp", transport: transport)
            XCTFail("a plain-http address to another machine is refused")
        } catch let error as ServiceError {
            guard case let .invalid(field, _) = error else { return XCTFail("expected .invalid, got \(error)") }
            XCTAssertEqual(field, "server_url")
        }
        let service = try await CoreMimamoriService.open(
            path: dir.appendingPathComponent("b.db").path, serverUrl: "https://mimamori.example.jp")
        let input = ReportInput(personId: "self", localDate: nil, kind: .infected, temperature: "36.5", answers: Array(repeating: .no, count: 9))
        _ = try await service.saveReport(input)
        let today = try await service.todayStatus(personId: "self")
        XCTAssertEqual(today.pendingSync, 1, "saving works before any network call")
    }
}
