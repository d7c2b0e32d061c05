package io.github.camelkvconnect.component;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.rest.MailHeader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DienstkennungFilterTest {

    private static boolean matches(String filter, String dienstkennung) {
        List<Pattern> patterns = KvConnectConsumer.patterns(filter);
        MailHeader h = new MailHeader(Map.of("x-kvc-dienstkennung", dienstkennung));
        return patterns.stream().anyMatch(p -> p.matcher(h.dienstkennung()).matches());
    }

    @Test
    void globPatternsMatchCaseInsensitively() {
        assertTrue(matches("1ClickAbrechnung;*", "1ClickAbrechnung;Lieferung;V2.0"));
        assertTrue(matches("1clickabrechnung;*", "1ClickAbrechnung;Rueckmeldung;V2.0"));
        assertFalse(matches("1ClickAbrechnung;*", "Arztbrief;VHitG-Versand;V1.0"));
        assertTrue(matches("LDT-Befund;*, Arztbrief;*", "Arztbrief;VHitG-Versand;V1.0"));
        assertTrue(matches("*;Eingangsbestaetigung;*", "LDT-Befund;Eingangsbestaetigung;V1.0"));
        assertFalse(matches("eTS;Fehlernachricht", "eTS;Fehlernachricht;V2.0"));
        assertTrue(matches("a.b", "a.b"));
        assertFalse(matches("a.b", "axb"), "dots are literal");
    }
}
