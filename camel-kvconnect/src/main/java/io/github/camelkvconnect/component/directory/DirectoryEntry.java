package io.github.camelkvconnect.component.directory;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One entry of the KV-Connect directory (Adressverzeichnis).
 *
 * @param dn           the entry's distinguished name
 * @param username     the KV-Connect user name (cn)
 * @param givenName    first name
 * @param surname      surname (sn)
 * @param organisation practice or institution (o)
 * @param street       street
 * @param postalCode   postal code
 * @param city         city (l)
 * @param mail         the KV-Connect address
 * @param certificates the published certificates (userCertificate)
 */
public record DirectoryEntry(String dn, String username, String givenName, String surname, String organisation, String street,
                             String postalCode, String city, String mail, List<X509Certificate> certificates) {
}
