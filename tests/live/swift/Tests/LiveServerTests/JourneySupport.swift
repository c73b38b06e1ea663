// What the journeys (JourneyTests.swift) need besides the app: the app's words in a
// language, read from the app's own Localizable.strings (so a test reads a screen as
// the person does); the server's SQLite file, where a journey lets a registration or
// a session run out as their lifetimes do (through the system's libsqlite3, loaded at
// run time: the chroot has the library, not its headers); a switch that cuts the
// phone's network and brings it back; and the App Store page the shipped Info.plist
// names. Never prints a value.
import Foundation
import MimamoriKit
import MobileCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The app's words in `language` (`ja` or `en`), from ios/MimamoriApp.
func appWords(_ language: String) throws -> Words {
    let file = URL(fileURLWithPath: try liveEnv("IOS")).appendingPathComponent("MimamoriApp/\(language).lproj/Localizable.strings")
    return try Words(strings: Data(contentsOf: file), localeIdentifier: language)
}

/// The App Store page of the shipped Info.plist, its build setting filled in from
/// project.yml as Xcode does.
func shippedAppStorePage() throws -> URL {
    let ios = URL(fileURLWithPath: try liveEnv("IOS"))
    let plist = try PropertyListSerialization.propertyList(
        from: Data(contentsOf: ios.appendingPathComponent("MimamoriApp/Info.plist")), options: [], format: nil) as? [String: Any]
    var info = plist ?? [:]
    if let value = info[AppStorePage.infoKey] as? String, value.hasPrefix("$("), value.hasSuffix(")") {
        let setting = String(value.dropFirst(2).dropLast())
        let project = try String(contentsOf: ios.appendingPathComponent("project.yml"), encoding: .utf8)
        let line = project.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(setting):") }
        info[AppStorePage.infoKey] = line.map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
    }
    return AppStorePage.url(info: info)
}

/// Runs `sql` on the live server's database; returns how many rows it changed.
func serverDatabase(_ sql: String) throws -> Int {
    typealias Open = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Busy = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias Changes = @convention(c) (OpaquePointer?) -> Int32
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    guard let lib = dlopen("libsqlite3.so.0", RTLD_NOW) else {
        XCTFail("libsqlite3.so.0 cannot be loaded")
        throw CocoaError(.fileReadNoSuchFile)
    }
    defer { dlclose(lib) }
    func symbol<T>(_ name: String, _: T.Type) -> T { unsafeBitCast(dlsym(lib, name)!, to: T.self) }
    let open = symbol("sqlite3_open", Open.self)
    let busy = symbol("sqlite3_busy_timeout", Busy.self)
    let exec = symbol("sqlite3_exec", Exec.self)
    let changes = symbol("sqlite3_changes", Changes.self)
    let close = symbol("sqlite3_close", Close.self)
    var db: OpaquePointer?
    guard open(try liveEnv("DB"), &db) == 0 else {
        XCTFail("the server's database cannot be opened")
        throw CocoaError(.fileReadUnknown)
    }
    defer { _ = close(db) }
    _ = busy(db, 30_000)
    guard exec(db, sql, nil, nil, nil) == 0 else {
        XCTFail("the statement on the server's database failed")
        throw CocoaError(.fileWriteUnknown)
    }
    return Int(changes(db))
}

/// The phone's network: while `offline`, every request goes to a port nothing listens
/// on, so the phone meets a refused connection as it does with no network.
final class NetworkSwitch: HttpTransport, @unchecked Sendable {
    private let inner = URLSessionTransport()
    private let lock = NSLock()
    private var cut = false

    var offline: Bool {
        get { lock.lock(); defer { lock.unlock() }; return cut }
        set { lock.lock(); cut = newValue; lock.unlock() }
    }

    func send(request: HttpRequest) throws -> HttpResponse {
        guard offline, var url = URLComponents(string: request.url) else { return try inner.send(request: request) }
        url.host = "127.0.0.1"
        url.port = 1
        var refused = request
        refused.url = url.string ?? request.url
        return try inner.send(request: refused)
    }
}
