/*
 * Small helpers shared by the view models: a finished job for ignored actions, the
 * value or the error of an Outcome, and the field a refusal belongs on.
 */
package jp.mimamori.core

import kotlinx.coroutines.Job

/** A job that has already finished: what an ignored action returns. */
internal fun completedJob(): Job = Job().apply { complete() }

/** The value of a success, else `null`. */
fun <T> Outcome<T>.valueOrNull(): T? = (this as? Outcome.Success)?.value

/** The error of a failure, else `null`. */
fun Outcome<*>.errorOrNull(): ScreenError? = (this as? Outcome.Failure)?.error

/**
 * Messages to show beside fields, by the core's field name: a refused input goes on
 * its own field; any other refusal or failure on [fallbackField] (the step's main
 * field), or nowhere when that is `null` (the screen shows it at the top).
 */
internal fun fieldMessage(error: ScreenError, fallbackField: String?): Pair<String, String>? = when (error) {
    is ScreenError.Invalid -> error.field to error.reason
    is ScreenError.Server -> fallbackField?.let { it to error.reason }
    else -> null
}
