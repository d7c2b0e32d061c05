package io.github.camelkvconnect.component.rest;

/**
 * The account data of the logged-in user ({@code GET login/{username}} followed to {@code accounts/{uid}}).
 *
 * @param uid                    the account id used in all {@code accounts/{uid}/...} paths
 * @param email                  the account's KV-Connect address
 * @param passwordChangeNeeded   the initial password must be changed before a certificate can be requested
 */
public record AccountInfo(String uid, String email, boolean passwordChangeNeeded) {
}
