/*
 * Small helpers shared by the view models.
 */
package jp.mimamori.core

import kotlinx.coroutines.Job

/** A job that has already finished: what an ignored action returns. */
internal fun completedJob(): Job = Job().apply { complete() }
