package dev.portcullis.audit.proof;

import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Signed tree heads and RFC 9162 proofs. The log is one tree for every organization, so these are for
 * operators (of any organization): they reveal sizes and hashes, never an entry. The public key is public.
 */
@Path("/v1/audit")
public class ProofResource {

    /** The published tree-head key. */
    public record PublishedKey(String keyId, String algorithm, String publicKey, String spki) {
    }

    @Inject
    TreeHeads treeHeads;

    @Inject
    Proofs proofs;

    @Inject
    TreeHeadSigner signer;

    @GET
    @Path("/tree-heads/latest")
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TreeHeadView> latest() {
        return treeHeads.latest().map(head -> {
            if (head == null) {
                throw ProblemException.notFound("tree head");
            }
            return TreeHeadView.of(head);
        });
    }

    /** Signs a tree head over the whole log now. */
    @POST
    @Path("/tree-heads")
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TreeHeadView> signNow() {
        // A chain that does not verify past the covered size: TreeBuildException, 409 chain-broken.
        return treeHeads.sign(true).map(TreeHeadView::of);
    }

    @GET
    @Path("/tree-heads/key")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public PublishedKey key() {
        return new PublishedKey(signer.keyId(), "Ed25519", TreeHeadKeys.publicKeyPem(signer.publicKey()),
                Base64.getEncoder().encodeToString(signer.publicKey().getEncoded()));
    }

    @GET
    @Path("/proofs/inclusion")
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Proofs.Inclusion> inclusion(@RestQuery String sequence, @RestQuery String treeSize) {
        return proofs.inclusion(positive("sequence", sequence), positive("treeSize", treeSize));
    }

    @GET
    @Path("/proofs/consistency")
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Proofs.Consistency> consistency(@RestQuery String first, @RestQuery String second) {
        return proofs.consistency(positive("first", first), positive("second", second));
    }

    static long positive(String name, String value) {
        if (value != null) {
            try {
                long number = Long.parseLong(value);
                if (number >= 1) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw ProblemException.badRequest("invalid-parameter", name + " must be a whole number from 1").with("parameter", name);
    }
}
