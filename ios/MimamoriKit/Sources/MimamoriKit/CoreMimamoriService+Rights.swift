// The real MimamoriService's calls for the person's requests about their data
// (開示・訂正・利用停止): filing one, the list with its status, the disclosure. Each runs
// on the core's queue in the screen's language, errors mapped to ServiceError; nothing
// is kept on the phone.
import MobileCore

extension CoreMimamoriService {
    public func fileDataRequest(_ input: DataRequestInput) async throws -> DataRequestView {
        try await call { core, lang in try core.fileDataRequest(input: input, lang: lang) }
    }

    public func dataRequests() async throws -> [DataRequestView] {
        try await call { core, lang in try core.dataRequests(lang: lang) }
    }

    public func dataDisclosure() async throws -> DisclosureView {
        try await call { core, lang in try core.dataDisclosure(lang: lang) }
    }
}
