// The phone core's HTTP transport on URLSession (the system's HTTP stack, its trusted
// certificates and App Transport Security), so the Rust library carries no HTTP or TLS
// stack. It only moves bytes: the core builds the URL, every header and the time limit,
// retries and maps statuses to errors. One attempt per call, no redirects followed, no
// cache, no cookies; any HTTP status is an answer. No URL, header or body ever reaches
// a log or an error. On Linux (`swift test`) URLSession comes from FoundationNetworking.
import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MobileCore

/// Sends the core's requests with an ephemeral `URLSession`. Safe to share between
/// threads; pass one to `MimamoriCore.openWithTransport`. `send` blocks its caller (the
/// core calls it off the main thread); the session's delegate queue does the work.
public final class URLSessionTransport: HttpTransport, @unchecked Sendable {
    private let exchanges = Exchanges()
    private let session: URLSession

    /// A transport with its own ephemeral session (no cache, no cookies).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Sends `request` once and returns the answer, or `TransportError` when none came.
    public func send(request: HttpRequest) throws -> HttpResponse {
        guard let url = URL(string: request.url) else { throw TransportError.Connect }
        let seconds = Double(max(request.timeoutMs, 1)) / 1000
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds)
        switch request.method {
        case .get: urlRequest.httpMethod = "GET"
        case .post:
            urlRequest.httpMethod = "POST"
            urlRequest.httpBody = request.body
        }
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        let task = session.dataTask(with: urlRequest)
        let exchange = exchanges.begin(task)
        task.resume()
        // URLSession's own limit is between two packets: the whole exchange ends here.
        let inTime = exchange.done.wait(timeout: .now() + seconds) == .success
        exchanges.end(task)
        guard inTime else {
            task.cancel()
            throw TransportError.Timeout
        }
        return try exchange.result()
    }

    /// How a failed exchange is reported: connect, timeout, broken or TLS (the
    /// certificate or an intercepting network).
    public static func classify(_ error: Error) -> TransportError {
        Exchange.classify(error)
    }
}

/// What came back for one task.
private final class Exchange: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var body = Data()
    private var response: URLResponse?
    private var error: Error?

    func append(_ data: Data) {
        lock.lock()
        body.append(data)
        lock.unlock()
    }

    func finish(_ response: URLResponse?, _ error: Error?) {
        lock.lock()
        self.response = response
        self.error = error
        lock.unlock()
        done.signal()
    }

    /// The answer, or the core's class of failure.
    func result() throws -> HttpResponse {
        lock.lock()
        defer { lock.unlock() }
        if let error {
            throw Self.classify(error)
        }
        guard let http = response as? HTTPURLResponse, (100...599).contains(http.statusCode) else {
            throw TransportError.Broken
        }
        var headers: [HttpHeader] = []
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                headers.append(HttpHeader(name: name, value: value))
            }
        }
        return HttpResponse(status: UInt16(http.statusCode), headers: headers, body: body)
    }

    /// Nothing reached the server (connect), the time passed (timeout), or the exchange
    /// broke after the request may have arrived (broken).
    static func classify(_ error: Error) -> TransportError {
        guard let urlError = error as? URLError else { return .Broken }
        switch urlError.code {
        case .timedOut:
            return .Timeout
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired:
            return .Tls
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .appTransportSecurityRequiresSecureConnection, .badURL,
             .unsupportedURL, .internationalRoamingOff, .callIsActive, .dataNotAllowed:
            return .Connect
        default:
            return .Broken
        }
    }
}

/// The session's delegate: collects each task's bytes and refuses every redirect, so a
/// 3xx comes back to the core as an answer.
private final class Exchanges: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var byTask: [Int: Exchange] = [:]

    func begin(_ task: URLSessionTask) -> Exchange {
        let exchange = Exchange()
        lock.lock()
        byTask[task.taskIdentifier] = exchange
        lock.unlock()
        return exchange
    }

    func end(_ task: URLSessionTask) {
        lock.lock()
        byTask[task.taskIdentifier] = nil
        lock.unlock()
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? {
        lock.lock()
        defer { lock.unlock() }
        return byTask[task.taskIdentifier]
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        exchange(dataTask)?.append(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        exchange(task)?.finish(task.response, error)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
