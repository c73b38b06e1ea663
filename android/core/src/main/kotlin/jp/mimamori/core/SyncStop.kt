/*
 * A handle that stops a running upload from any thread. The system takes background
 * time back (a WorkManager worker is stopped, the device leaves its maintenance
 * window): the worker calls cancel() and the repository's sync returns
 * ScreenError.Cancelled promptly, with nothing lost. Plain Kotlin, so view models and
 * the fake repository use it without the native library.
 */
package jp.mimamori.core

/**
 * Stops every [MimamoriRepository.sync] it is passed to, now and later. Safe to call
 * from any thread, any number of times. Waits inside the sync (a backoff, another sync
 * still running) end at once; a request already on the network is awaited for at most
 * its time limit (the core cannot abort it), its answer is applied, and then the sync
 * returns [ScreenError.Cancelled].
 */
class SyncStop {
    private val lock = Any()
    private val actions = mutableListOf<() -> Unit>()

    /** Whether [cancel] was called. */
    @Volatile
    var isCancelled: Boolean = false
        private set

    /** Stops the syncs using this handle; returns at once. */
    fun cancel() {
        val run = synchronized(lock) {
            if (isCancelled) return
            isCancelled = true
            actions.toList().also { actions.clear() }
        }
        run.forEach { it() }
    }

    /**
     * Runs [action] when this is cancelled (at once if it already is); the returned
     * function detaches it. For repositories bridging to the core's cancel handle.
     */
    fun onCancel(action: () -> Unit): () -> Unit {
        val now = synchronized(lock) {
            if (!isCancelled) actions += action
            isCancelled
        }
        if (now) action()
        return { synchronized(lock) { actions.remove(action) } }
    }
}
