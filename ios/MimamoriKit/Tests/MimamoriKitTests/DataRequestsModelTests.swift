// XCTest tests on the REAL core of the person's data requests screen model: a
// correction without an item is refused on the phone, beside the item, with the
// core's message in the screen's language and nothing sent; filing with the network
// gone gives the offline error, keeps the form and files nothing; only reports the
// centre holds are offered for a temperature, and the request built from the form
// carries the picked report.
import Foundation
import MimamoriKit
import MobileCore
import XCTest

/// A phone that signed in and then lost the network: login and profile get canned
/// answers (as the server gives them), every other request fails to connect.
final class SignedInThenOffline: HttpTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var others = 0

    /// Requests other than sign-in and the profile that were tried.
    var attempts: Int {
        lock.lock()
        defer { lock.unlock() }
        return others
    }

    func send(request: HttpRequest) throws -> HttpResponse {
        if let answer = signInAnswer(request) { return answer }
        lock.lock()
        others += 1
        lock.unlock()
        throw TransportError.Connect
    }
}

final class DataRequestsModelTests: CoreTestCase {
    private let transport = SignedInThenOffline()

    private func signedIn(_ lang: Language = .ja) throws -> CoreMimamoriService {
        let core = try MimamoriCore.openWithTransport(path: databasePath, serverUrl: server, transport: transport)
        _ = try core.login(email: "rights@example.jp", password: "Hoshi-zora-42", lang: lang)
        return CoreMimamoriService(core: core) { lang }
    }

    @MainActor
    func testACorrectionWithoutAnItemIsRefusedOnThePhoneBesideTheItem() async throws {
        let model = DataRequestsModel(service: try signedIn())
        model.setKind(.correction)
        model.setValue("見守 花子")
        model.confirm()
        XCTAssertTrue(model.state.confirming)
        await model.send()
        XCTAssertEqual(model.state.message("item"), "訂正する項目を選んでください。")
        XCTAssertFalse(model.state.confirming, "back to the form to choose the item")
        XCTAssertNil(model.state.filed)
        XCTAssertNil(model.state.error)
        XCTAssertEqual(model.state.value, "見守 花子", "the form keeps what was typed")
        XCTAssertEqual(transport.attempts, 0, "nothing reached the network")
        model.setItem(.name)
        XCTAssertNil(model.state.message("item"))
    }

    @MainActor
    func testTheItemsMessageFollowsTheScreensLanguage() async throws {
        let model = DataRequestsModel(service: try signedIn(.en))
        model.setKind(.correction)
        await model.send()
        XCTAssertEqual(model.state.message("item"), "Choose the item to correct.")
    }

    @MainActor
    func testFilingOfflineGivesTheNetworkErrorAndFilesNothing() async throws {
        let model = DataRequestsModel(service: try signedIn())
        await model.load()
        guard case .offline = model.state.error else { return XCTFail("\(String(describing: model.state.error))") }
        model.setKind(.suspension)
        model.setNote("使わないでください")
        model.confirm()
        await model.send()
        guard case let .offline(reason) = model.state.error else { return XCTFail("\(String(describing: model.state.error))") }
        XCTAssertFalse(reason.isEmpty)
        XCTAssertTrue(model.state.error?.tryLater == true)
        XCTAssertNil(model.state.filed)
        XCTAssertTrue(model.state.requests.isEmpty)
        XCTAssertEqual(model.state.kind, .suspension)
        XCTAssertEqual(model.state.note, "使わないでください", "the form is kept to send again")
        XCTAssertGreaterThan(transport.attempts, 0, "the request was tried and failed to connect")
    }

    @MainActor
    func testOnlyReportsTheCentreHoldsAreOfferedForATemperature() async throws {
        let service = try signedIn()
        // Saved but never sent: the centre does not hold it, so it is not offered.
        _ = try await service.saveReport(report("37.9"))
        let model = DataRequestsModel(service: service)
        await model.load()
        XCTAssertTrue(model.state.reports.isEmpty)
        model.setKind(.correction)
        model.setItem(.temperature)
        model.pickReport("r-1")
        model.setValue(" 36.9 ")
        model.setNote("  ")
        XCTAssertEqual(model.state.input.field, .temperature)
        XCTAssertEqual(model.state.input.reportId, "r-1")
        XCTAssertEqual(model.state.input.value, "36.9")
        XCTAssertNil(model.state.input.note)
        model.setItem(.phone)
        XCTAssertNil(model.state.input.reportId)
        model.setKind(.disclosure)
        XCTAssertNil(model.state.input.field)
        XCTAssertNil(model.state.input.value)
    }
}
