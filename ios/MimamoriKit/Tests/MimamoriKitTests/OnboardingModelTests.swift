// XCTest tests of the app's start on the REAL core: which screen opens first, the
// leaflet's deep link (universal and custom URL) handled with no account — another
// server's link refused with nothing changed — the number typed and corrected later,
// and the registration screens' own behaviour: the password rule ticked as typed,
// each refusal beside its field, the server's wait before a resend (with a clock the
// test moves), cancelling, and being offline. The whole registration against the
// real server is in tests/live/swift.
import Foundation
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class OnboardingModelTests: CoreTestCase {
    /// The leaflet's link for `server`, as the server prints it.
    private func leaflet(_ server: String, tel: String = "03-1234-5678") -> String {
        "\(server)/app?centre=3&name=%E3%81%BF%E3%81%AA%E3%81%A8%E4%BF%9D%E5%81%A5%E6%89%80&tel=\(tel)"
    }

    @MainActor
    func testAFreshPhoneStartsOnTheStartScreenAndEachVisitIsFresh() async throws {
        let app = AppModel(service: try await withServer())
        XCTAssertEqual(app.state.screen, .loading)
        await app.load()
        XCTAssertEqual(app.state.screen, .start)
        await app.startRegistration()
        XCTAssertEqual(app.state.screen, .registration)
        XCTAssertEqual(app.registration?.state.step, .email)
        XCTAssertEqual(app.registration?.state.loading, false, "the step the core kept is loaded")
        app.registration?.setEmail("someone@example.jp")
        app.showStart()
        XCTAssertNil(app.registration, "the screen's model goes with it")

        // A second visit of the sign-in screen starts empty.
        app.startLogin()
        XCTAssertEqual(app.state.screen, .login)
        app.login?.setEmail("someone@example.jp")
        app.login?.setPassword("typed")
        app.showStart()
        app.startLogin()
        XCTAssertEqual(app.login?.state.email, "")
        XCTAssertEqual(app.login?.state.password, "")

        // A sign-in refused (no server here) stays on the screen with the reason.
        app.login?.setEmail("someone@example.jp")
        app.login?.setPassword("Correct-Horse-9")
        await app.signIn()
        XCTAssertEqual(app.state.screen, .login)
        XCTAssertNotNil(app.login?.state.error)
        XCTAssertNil(app.main)
    }

    @MainActor
    func testTheLeafletsUniversalLinkStoresTheCentreWithNoAccount() async throws {
        let service = try await withServer()
        let app = AppModel(service: service)
        await app.load()
        await app.open(url: URL(string: leaflet(server))!)
        XCTAssertEqual(app.state.sheet, .emergencyContact)
        XCTAssertEqual(app.contact.state.contact, EmergencyContact(centreName: "みなと保健所", phoneNumber: "03-1234-5678"))
        XCTAssertEqual(app.contact.state.fromLink?.centreName, "みなと保健所")
        XCTAssertEqual(app.state.screen, .start, "no account needed")

        // The family's check now names whom to call.
        let check = UrgentCheckModel(service: service)
        await check.load()
        check.toggle("purple_lips")
        await check.evaluate()
        XCTAssertTrue(check.state.advice?.callInstruction.contains("03-1234-5678") ?? false)
    }

    @MainActor
    func testTheCustomSchemeCarriesTheSameLink() async throws {
        let service = try await withServer()
        let inner = leaflet(server, tel: "0312345678")
        var custom = URLComponents(string: "mimamori://leaflet")!
        custom.queryItems = [URLQueryItem(name: "link", value: inner)]
        XCTAssertEqual(EmergencyContactModel.leafletLink(in: custom.url!), inner)
        let model = EmergencyContactModel(service: service)
        await model.open(url: custom.url!)
        XCTAssertNil(model.state.fieldError)
        let stored = try await service.emergencyContact()
        XCTAssertEqual(stored?.phoneNumber, "0312345678")
    }

    @MainActor
    func testAnotherServersLinkIsRefusedAndChangesNothing() async throws {
        let service = try await withServer(.en)
        let model = EmergencyContactModel(service: service)
        await model.save(centreName: centre.centreName, phoneNumber: centre.phoneNumber)
        XCTAssertEqual(model.state.contact, centre)

        await model.open(url: URL(string: leaflet("https://evil.example.com", tel: "0120-000-000"))!)
        XCTAssertEqual(model.state.fieldError?.field, "link")
        XCTAssertTrue(model.state.message("link")?.contains("another server") ?? false, model.state.message("link") ?? "")
        XCTAssertEqual(model.state.contact, centre)
        let stored = try await service.emergencyContact()
        XCTAssertEqual(stored, centre, "the server and the number stay")

        await model.openLink("https://mimamori.example.jp/login")
        XCTAssertEqual(model.state.fieldError?.field, "link")
    }

    @MainActor
    func testTheNumberTypedAndCorrectedLater() async throws {
        let service = try await offline()
        let model = EmergencyContactModel(service: service)
        await model.load()
        XCTAssertNil(model.state.contact)
        await model.save(centreName: "", phoneNumber: "03-1234-5678")
        XCTAssertNotNil(model.state.message("centre_name"))
        XCTAssertNil(model.state.contact)
        await model.save(centreName: centre.centreName, phoneNumber: "03-1234-5678")
        await model.save(centreName: centre.centreName, phoneNumber: "03-9999-0000")
        XCTAssertNil(model.state.fieldError)
        let stored = try await service.emergencyContact()
        XCTAssertEqual(stored?.phoneNumber, "03-9999-0000")
    }

    @MainActor
    func testThePasswordRuleIsTickedAsItIsTyped() async throws {
        let model = RegistrationModel(service: try await withServer())
        await model.load()
        XCTAssertEqual(model.state.step, .email)
        XCTAssertEqual(model.state.rule?.parts.map(\.met), [false, false, false, false, false])
        XCTAssertFalse(model.state.rule?.rule.isEmpty ?? true)
        await model.setPassword("kumo")
        XCTAssertEqual(model.state.rule?.parts.filter(\.met).count, 1)
        XCTAssertEqual(model.state.rule?.meetsRule, false)
        await model.setPassword("Kumo-no-ue-7")
        XCTAssertEqual(model.state.rule?.meetsRule, true)
        XCTAssertTrue(model.state.rule?.parts.allSatisfy(\.met) ?? false)
    }

    @MainActor
    func testOfflineRegistrationSaysSoAndKeepsTheEmail() async throws {
        let model = RegistrationModel(service: try await withServer())
        await model.load()
        model.setEmail("hanako@example.jp")
        await model.submitEmail()
        guard case .offline? = model.state.error else { return XCTFail("\(String(describing: model.state.error))") }
        XCTAssertNil(model.state.fieldError)
        XCTAssertEqual(model.state.step, .email)
        XCTAssertEqual(model.state.email, "hanako@example.jp")
        XCTAssertFalse(model.state.busy)
    }

    @MainActor
    func testEachRefusalIsShownBesideItsField() async throws {
        let service = FailureInjectingService(try await withServer())
        let model = RegistrationModel(service: service)
        await model.load()
        await service.failNext(with: .invalid(field: "email", reason: "The e-mail address is not valid."))
        await model.submitEmail()
        XCTAssertEqual(model.state.message("email"), "The e-mail address is not valid.")
        model.setEmail("hanako@example.jp")
        XCTAssertNil(model.state.message("email"), "typing clears it")

        // Still on the address step, which has no code or password field: such a
        // refusal is shown for the whole step, never hidden beside a field not shown.
        await service.failNext(with: .invalid(field: "code", reason: "The code is wrong."))
        await model.submitCode()
        XCTAssertNil(model.state.message("code"))
        XCTAssertEqual(model.state.error, .invalid(field: "code", reason: "The code is wrong."))
        await service.failNext(with: .invalid(field: "password", reason: "Too weak."))
        await model.submitPassword()
        XCTAssertEqual(model.state.error, .invalid(field: "password", reason: "Too weak."))
        await service.failNext(with: .server(code: "registration_mismatch", reason: "Contact your centre."))
        await model.submitAttributes()
        XCTAssertNil(model.state.fieldError)
        XCTAssertEqual(model.state.error, .server(code: "registration_mismatch", reason: "Contact your centre."))
        XCTAssertEqual(model.state.step, .email, "nothing moved on")
    }

    @MainActor
    func testAResendTooEarlyWaitsForTheServersSeconds() async throws {
        let service = FailureInjectingService(try await withServer())
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let model = RegistrationModel(service: service, clock: { clock.now })
        await model.load()
        model.setEmail("hanako@example.jp")
        XCTAssertEqual(model.resendWaitSeconds(), 0)
        await service.failNext(with: .throttled(retryAfterSeconds: 42, reason: "Please wait."))
        await model.resendCode()
        XCTAssertEqual(model.resendWaitSeconds(), 42)
        XCTAssertEqual(model.state.error, .throttled(retryAfterSeconds: 42, reason: "Please wait."))
        clock.now += 30
        XCTAssertEqual(model.resendWaitSeconds(), 12)
        await model.resendCode()  // still waiting: nothing is sent
        XCTAssertEqual(model.state.error, .throttled(retryAfterSeconds: 42, reason: "Please wait."))
        clock.now += 12
        XCTAssertEqual(model.resendWaitSeconds(), 0)
        await model.resendCode()
        guard case .offline? = model.state.error else {
            return XCTFail("the resend reached the core: \(String(describing: model.state.error))")
        }
    }

    @MainActor
    func testCancelGoesBackToTheFirstStep() async throws {
        let model = RegistrationModel(service: try await withServer())
        await model.load()
        model.setEmail("hanako@example.jp")
        await model.cancel()
        XCTAssertEqual(model.state.step, .email)
        XCTAssertEqual(model.state.email, "")
        XCTAssertFalse(model.state.kinds.isEmpty)
        model.finish()
        XCTAssertEqual(model.state.step, .email, "finish only from the kind step")
    }

    @MainActor
    func testAnExpiredRegistrationIsSaidOnTheScreenAndGoesBackToTheAddress() async throws {
        // A phone whose registration the core no longer has (it expired while the
        // person fetched the code): verifying is refused for the registration itself,
        // which no field of the code step shows.
        let model = RegistrationModel(service: try await withServer())
        await model.load()
        model.setCode("123456")
        await model.submitCode()
        XCTAssertEqual(model.state.step, .email, "back to the address, to ask for a new code")
        guard case let .invalid(_, reason)? = model.state.error else {
            return XCTFail("the refusal must be on the screen, got \(String(describing: model.state.error))")
        }
        XCTAssertTrue(reason.contains("認証コードの送信からやり直してください"), reason)
        XCTAssertNil(model.state.fieldError, "nothing hidden beside a field the screen does not show")
    }
}

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    init(_ start: Date) { value = start }

    var now: Date {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
