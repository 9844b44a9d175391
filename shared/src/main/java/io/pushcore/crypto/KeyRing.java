package io.pushcore.crypto;

import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Numbered keys of one purpose, one of them active: the active key seals and mints, every key in the ring opens and
 * verifies. Rotation adds a key, makes it active, and later retires the old one by removing it; what names a key
 * that is no longer in the ring is refused.
 *
 * <p>
 * Key ids are 0 to {@value #MAX_ID}: they are written into every sealed record (a byte) and every message id (4
 * bits). Key 0 is also the key of records and ids made before keys had ids (see {@link CredentialCipher} and
 * {@link MessageIds}): a single configured key is key 0.
 *
 * <p>
 * Configuration ({@link #fromConfig}): a ring is {@code id:base64,id:base64,…}; the active key is the one the
 * {@code …-keys-active} setting names, or else the last one written. A ring of one key may be written as the bare
 * base64 (key 0), so a secret that held one key before keeps working as a ring. Errors name the setting and the key
 * id, never a key. Immutable.
 */
public final class KeyRing {

    /** The largest key id: ids must fit the 4 bits a message id has for them. */
    public static final int MAX_ID = 15;

    private final byte[][] keys = new byte[MAX_ID + 1][];
    private final int activeId;

    private KeyRing(byte[][] keys, int activeId) {
        for (int id = 0; id <= MAX_ID; id++) {
            this.keys[id] = keys[id] == null ? null : keys[id].clone();
        }
        this.activeId = activeId;
    }

    /** One key, id 0, active: what a single configured key means. */
    public static KeyRing of(byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("key ring: key 0 is missing");
        }
        byte[][] keys = new byte[MAX_ID + 1][];
        keys[0] = key;
        return new KeyRing(keys, 0);
    }

    /** One key with the given id, active. */
    public static KeyRing of(int id, byte[] key) {
        checkId(id, "key ring");
        byte[][] keys = new byte[MAX_ID + 1][];
        keys[id] = key;
        return new KeyRing(keys, id);
    }

    /** This ring with {@code key} added as {@code id} (replacing none), still the same active key. */
    public KeyRing with(int id, byte[] key) {
        checkId(id, "key ring");
        if (keys[id] != null) {
            throw new IllegalArgumentException("key ring: key " + id + " is already in the ring");
        }
        byte[][] more = keys.clone();
        more[id] = key;
        return new KeyRing(more, activeId);
    }

    /** This ring with {@code id} active. */
    public KeyRing activate(int id) {
        if (!contains(id)) {
            throw new IllegalArgumentException("key ring: key " + id + " is not in the ring");
        }
        return new KeyRing(keys, id);
    }

    /** This ring without {@code id} (retired); the active key cannot be retired. */
    public KeyRing without(int id) {
        if (id == activeId) {
            throw new IllegalArgumentException("key ring: the active key " + id + " cannot be retired");
        }
        byte[][] fewer = keys.clone();
        if (id >= 0 && id <= MAX_ID) {
            fewer[id] = null;
        }
        return new KeyRing(fewer, activeId);
    }

    /**
     * The ring configured under {@code prefix}: {@code <prefix>-keys} (a ring), or the single key
     * {@code <prefix>-key} (key 0) where the function had one before rings; {@code <prefix>-keys-active} names the
     * active key. Exactly one of the two must be set.
     *
     * @param prefix   e.g. {@code send.security.credential}; the environment variables are derived from it
     * @param single   the value of {@code <prefix>-key}; {@code null} when the function has no such setting
     * @param minBytes smallest key length
     * @param maxBytes largest key length
     * @throws IllegalStateException naming the setting (and a key id), never a key, when the configuration is wrong
     */
    public static KeyRing fromConfig(String prefix, Optional<String> single, Optional<String> ring,
            Optional<Integer> active, int minBytes, int maxBytes) {
        String ringSetting = setting(prefix + "-keys");
        String singleSetting = single == null ? null : setting(prefix + "-key");
        String activeSetting = setting(prefix + "-keys-active");
        boolean hasSingle = single != null && single.filter(s -> !s.isBlank()).isPresent();
        boolean hasRing = ring.filter(s -> !s.isBlank()).isPresent();
        if (hasSingle && hasRing) {
            throw new IllegalStateException("set " + ringSetting + " or " + singleSetting + ", not both");
        }
        if (!hasSingle && !hasRing) {
            throw new IllegalStateException(ringSetting + " is required"
                    + (singleSetting == null ? "" : " (or the single key " + singleSetting + ")"));
        }
        byte[][] keys = new byte[MAX_ID + 1][];
        int last;
        if (hasSingle) {
            keys[0] = ConfiguredKeys.decode(single.get(), singleSetting, minBytes, maxBytes);
            last = 0;
        } else {
            last = parse(ring.get(), ringSetting, keys, minBytes, maxBytes);
        }
        int activeId = active.orElse(last);
        if (activeId < 0 || activeId > MAX_ID || keys[activeId] == null) {
            throw new IllegalStateException(activeSetting + " names key " + activeId + ", which is not in "
                    + (hasSingle ? singleSetting + " (key 0)" : ringSetting));
        }
        return new KeyRing(keys, activeId);
    }

    /** Fills {@code keys} from {@code id:base64,…}; returns the last id written. */
    private static int parse(String text, String setting, byte[][] keys, int minBytes, int maxBytes) {
        String[] entries = text.split(",", -1);
        int last = -1;
        for (String raw : entries) {
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            int id;
            String base64;
            if (colon < 0 && entries.length == 1) {
                id = 0;
                base64 = entry;
            } else if (colon <= 0) {
                throw new IllegalStateException(setting + " must be id:base64 entries separated by commas "
                        + "(ids 0 to " + MAX_ID + ")");
            } else {
                try {
                    id = Integer.parseInt(entry.substring(0, colon).trim());
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (id < 0 || id > MAX_ID) {
                    throw new IllegalStateException(setting + " has a key id that is not a number from 0 to "
                            + MAX_ID);
                }
                base64 = entry.substring(colon + 1);
            }
            if (keys[id] != null) {
                throw new IllegalStateException(setting + " names key " + id + " twice");
            }
            keys[id] = ConfiguredKeys.decode(base64, setting + " key " + id, minBytes, maxBytes);
            last = id;
        }
        return last;
    }

    /** {@code send.security.credential-keys (SEND_SECURITY_CREDENTIAL_KEYS)} */
    private static String setting(String name) {
        return name + " (" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")";
    }

    private static void checkId(int id, String what) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException(what + ": key ids are 0 to " + MAX_ID);
        }
    }

    public int activeId() {
        return activeId;
    }

    /** A copy of the active key. */
    byte[] activeKey() {
        return keys[activeId].clone();
    }

    public boolean contains(int id) {
        return id >= 0 && id <= MAX_ID && keys[id] != null;
    }

    /** A copy of key {@code id}, or empty when it is not (or no longer) in the ring. */
    Optional<byte[]> key(int id) {
        return contains(id) ? Optional.of(keys[id].clone()) : Optional.empty();
    }

    /** The ids in the ring, for start-up logs. */
    public SortedSet<Integer> ids() {
        SortedSet<Integer> ids = new TreeSet<>();
        for (int id = 0; id <= MAX_ID; id++) {
            if (keys[id] != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Ids and the active one only, never key material. */
    @Override
    public String toString() {
        return "KeyRing" + ids() + " active " + activeId;
    }
}
