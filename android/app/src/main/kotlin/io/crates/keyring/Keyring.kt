/*
 * The start-up call the phone core's Android keystore needs: the core's library
 * (libmobile_core.so, through android-native-keyring-store) exports
 * `Java_io_crates_keyring_Keyring_00024Companion_initializeNdkContext`, which keeps the
 * application context for the Android Keystore. The class and package names are fixed
 * by that symbol. Without this call, signing in fails with CoreException.Keystore
 * ("not initialised") instead of crashing.
 */
package io.crates.keyring

import android.content.Context

class Keyring {
    companion object {
        init {
            System.loadLibrary("mobile_core")
        }

        /** Hands the application context to the core's keystore; call once at start-up. */
        external fun initializeNdkContext(context: Context)
    }
}
