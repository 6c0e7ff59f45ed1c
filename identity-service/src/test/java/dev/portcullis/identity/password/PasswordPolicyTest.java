package dev.portcullis.identity.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private static Optional<String> check(String password, boolean onlyFactor) {
        return PasswordPolicy.violation(password, onlyFactor, List.of("dana@example.test", "Dana Lee", "Harbor Lofts"));
    }

    @Test
    void atLeastEightCharacters() {
        assertTrue(check("tqx7-mzb", false).isEmpty());
        assertTrue(check("tqx7-mz", false).isPresent());
        assertTrue(check("", false).isPresent());
        assertTrue(check(null, false).isPresent());
    }

    @Test
    void atLeastFifteenWhenThePasswordIsTheOnlyFactor() {
        assertTrue(check("tqx7-mzb-kw2", false).isEmpty());
        assertTrue(check("tqx7-mzb-kw2", true).isPresent(), "12 characters are not enough alone");
        assertTrue(check("tqx7-mzb-kw2-rv", true).isEmpty());
        assertTrue(check("tqx7-mzb-kw2-r", true).isPresent());
    }

    @Test
    void lengthIsCountedInCharactersNotBytes() {
        // Eight code points (four of them outside the BMP): long enough.
        assertTrue(check("\uD83D\uDD12\uD83D\uDD11\uD83D\uDEAA\uD83C\uDFE0abcz", false).isEmpty());
    }

    @Test
    void longPasswordsAreAcceptedUpToTheLimit() {
        assertTrue(check("x".repeat(10) + "q7".repeat(50), true).isEmpty(), "110 characters");
        assertTrue(check("k3v".repeat(341) + "z", true).isEmpty(), "1024 characters");
        assertTrue(check("k3v".repeat(341) + "zz", true).isPresent(), "1025 characters");
    }

    @Test
    void commonPasswordsAreRefusedWhateverTheirCase() {
        for (String common : List.of("password", "Password1", "PASSWORD123", "qwertyuiop", "Summer2024!", "P@ssw0rd", "iloveyou123",
                "1q2w3e4r5t", "123456789012", "letmein!", "correct horse battery staple")) {
            assertTrue(check(common, false).isPresent(), common);
        }
        assertTrue(PasswordPolicy.blocklistSize() >= 3000, "a shipped list of thousands: " + PasswordPolicy.blocklistSize());
    }

    @Test
    void contextWordsAreRefused() {
        assertTrue(check("portcullis", false).isPresent());
        assertTrue(check("Portcullis2024!", false).isPresent());
        assertTrue(check("dana@example.test", false).isPresent(), "the username");
        assertTrue(check("DANA@EXAMPLE.TEST1", false).isPresent());
        assertTrue(check("dana lee 123", false).isPresent(), "the display name");
        assertTrue(check("harborlofts", false).isPresent(), "the organization");
    }

    @Test
    void noCompositionRules() {
        assertTrue(check("plum tractor velvet oyster", true).isEmpty(), "lower case words only");
        assertTrue(check("83619047258361", false).isEmpty(), "digits only");
        assertEquals(Optional.empty(), check("ZZQWKXMVBTRPLN", false), "upper case only");
    }
}
