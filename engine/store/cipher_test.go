package store_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"jobbridge/engine/store"
)

func TestParseKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"hex", hex.EncodeToString(testKey), true},
		{"hex with newline", hex.EncodeToString(testKey) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(testKey), true},
		{"base64 raw url", base64.RawURLEncoding.EncodeToString(testKey), true},
		{"short", hex.EncodeToString(testKey[:16]), false},
		{"empty", "", false},
		{"garbage", "not a key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := store.ParseKey(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseKey(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if tt.ok && string(key) != string(testKey) {
				t.Fatalf("ParseKey(%q) = %x", tt.in, key)
			}
		})
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	key, err := store.LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != store.KeySize {
		t.Fatalf("key of %d bytes", len(key))
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := store.LoadOrCreateKeyFile(path)
	if err != nil || string(again) != string(key) {
		t.Fatalf("reloaded key %x, %v; want %x", again, err, key)
	}
}

func TestCipher(t *testing.T) {
	t.Parallel()
	c := MustCipher(t, testKey)
	rid := ResidentID(t, "31010419900307002")

	sealed := c.Encrypt(rid, "seeker/s1/residentId")
	if again := c.Encrypt(rid, "seeker/s1/residentId"); string(again) == string(sealed) {
		t.Error("two encryptions are equal: the nonce is not random")
	}
	if got, err := c.Decrypt(sealed, "seeker/s1/residentId"); err != nil || got != rid {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
	if _, err := c.Decrypt(sealed, "seeker/s2/residentId"); err == nil {
		t.Error("a ciphertext moved to another seeker decrypted")
	}
	if c.Encrypt("", "x") != nil {
		t.Error("empty plaintext should encrypt to nil")
	}

	if c.BlindIndex(rid) != c.BlindIndex(rid) || c.BlindIndex(rid) == c.BlindIndex(ResidentID(t, "31010419900307003")) {
		t.Error("blind index is not a function of the resident ID")
	}
	lower := rid[:17] + "x"
	if rid[17] == 'X' && c.BlindIndex(lower) != c.BlindIndex(rid) {
		t.Error("blind index distinguishes x from X")
	}
	other := MustCipher(t, []byte("fedcba9876543210fedcba9876543210"))
	if other.BlindIndex(rid) == c.BlindIndex(rid) {
		t.Error("blind index does not depend on the key")
	}
	if _, err := store.NewCipher(testKey[:31]); err == nil {
		t.Error("NewCipher accepted a 31-byte key")
	}
}

// TestSessionID: a session id depends on the key, and is neither the token,
// its plain SHA-256 nor the blind index of the same text.
func TestSessionID(t *testing.T) {
	t.Parallel()
	c, other := MustCipher(t, testKey), MustCipher(t, []byte("fedcba9876543210fedcba9876543210"))
	const token = "q2Vd3nJ0yY6c5w0d1fQ2m0xqkW3G2hZ6J6pD0n0A1bE"
	sum := sha256.Sum256([]byte(token))
	id := c.SessionID(token)
	if len(id) != 64 || id != c.SessionID(token) {
		t.Fatalf("SessionID = %q, want 64 hex digits, stable", id)
	}
	for name, v := range map[string]string{"the token": token, "its SHA-256": hex.EncodeToString(sum[:]),
		"another key's": other.SessionID(token), "the blind index": c.BlindIndex(token), "another token's": c.SessionID(token + "x")} {
		if id == v {
			t.Errorf("SessionID equals %s", name)
		}
	}
}
