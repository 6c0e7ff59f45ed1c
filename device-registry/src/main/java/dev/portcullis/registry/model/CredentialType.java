package dev.portcullis.registry.model;

/** The kinds of credential a lock model can hold. */
public enum CredentialType {
    PIN,
    CARD,
    FINGERPRINT,
    PALM_VEIN,
    FACE,
    APP
}
