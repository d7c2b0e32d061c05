package io.github.camelkvconnect.component.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathSegmentsTest {

    @Test
    void messageIdBecomesOneSegment() {
        assertEquals("%3Ca%2Fb%40host.de%3E", PathSegments.encode("<a/b@host.de>"));
    }

    @Test
    void encodesSpacesQueryCharactersAndNonAscii() {
        assertEquals("a%20b%3Fc%3Dd%26e%23%C3%BC", PathSegments.encode("a b?c=d&e#\u00fc"));
    }

    @Test
    void decodeIsTheInverse() {
        String id = "<x/y z@\u00e4.de>";
        assertEquals(id, PathSegments.decode(PathSegments.encode(id)));
    }
}
