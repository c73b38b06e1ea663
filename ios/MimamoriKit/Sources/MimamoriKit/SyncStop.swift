// A handle that stops a running upload from any thread. The system takes background
// time back (a BGTask's expirationHandler, the app leaving the foreground): the app
// calls cancel() and the service's sync throws ServiceError.cancelled promptly, with
// nothing lost. Plain Swift, so models and the fake service use it without the core.
import Foundation

/// Stops every `MimamoriService.sync` it is passed to, now and later. Safe to call
/// from any thread, any number of times. Waits inside the sync (a backoff, another sync
/// still running) end at once; a request already on the network is awaited for at most
/// its time limit (the core cannot abort it), its answer is applied, and then the sync
/// throws `ServiceError.cancelled`.
public final class SyncStop: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextId = 0

    /// A handle that has not been cancelled.
    public init() {}

    /// Whether `cancel()` was called.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Stops the syncs using this handle; returns at once.
    public func cancel() {
        lock.lock()
        if cancelled {
            lock.unlock()
            return
        }
        cancelled = true
        let run = Array(actions.values)
        actions.removeAll()
        lock.unlock()
        run.forEach { $0() }
    }

    /// Runs `action` when this is cancelled (at once if it already is); the returned
    /// closure detaches it. For services bridging to the core's cancel handle.
    public func onCancel(_ action: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        lock.lock()
        if cancelled {
            lock.unlock()
            action()
            return {}
        }
        let id = nextId
        nextId += 1
        actions[id] = action
        lock.unlock()
        return { [weak self] in
            guard let self else { return }
            self.lock.lock()
            self.actions[id] = nil
            self.lock.unlock()
        }
    }
}
