// Stand-ins for Combine's ObservableObject and @Published where Combine does not exist
// (Linux, where the models are tested). On Apple platforms this file is empty and the
// models use Combine's, so SwiftUI observes them as usual.
#if !canImport(Combine)
/// A class whose changes a view would observe; no-op without Combine.
public protocol ObservableObject: AnyObject {}

/// A stored property a view would observe; a plain value without Combine.
@propertyWrapper
public struct Published<Value> {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }
}
#endif
