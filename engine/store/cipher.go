package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length in bytes of the master key.
const KeySize = 32

// Labels over which the master key is HMACed into independent subkeys, so the
// encryption key never doubles as the blind-index or the session key.
const (
	encryptionLabel = "jobbridge/v1/encryption"
	blindIndexLabel = "jobbridge/v1/blind-index"
	sessionLabel    = "jobbridge/v1/session"
)

// Cipher encrypts sensitive fields (AES-256-GCM) and computes the blind index
// that finds a seeker by resident ID without storing the ID in plain text.
type Cipher struct {
	aead       cipher.AEAD
	indexKey   []byte
	sessionKey []byte
}

// NewCipher derives the encryption and blind-index subkeys from a 32-byte master key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(subkey(key, encryptionLabel))
	if err != nil {
		return nil, fmt.Errorf("new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new cipher: %w", err)
	}
	return &Cipher{aead: aead, indexKey: subkey(key, blindIndexLabel), sessionKey: subkey(key, sessionLabel)}, nil
}

func subkey(master []byte, label string) []byte {
	mac := hmac.New(sha256.New, master)
	mac.Write([]byte(label))
	return mac.Sum(nil)
}

// Encrypt seals plaintext with a random nonce; context (such as "seeker/ID/residentId")
// is authenticated, so a ciphertext copied to another record or field fails to open.
// An empty plaintext encrypts to nil.
func (c *Cipher) Encrypt(plaintext, context string) []byte {
	if plaintext == "" {
		return nil
	}
	nonce := make([]byte, c.aead.NonceSize(), c.aead.NonceSize()+len(plaintext)+c.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // crypto/rand never fails on supported platforms
	}
	return c.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
}

// Decrypt opens what Encrypt sealed under the same context; nil decrypts to "".
func (c *Cipher) Decrypt(ciphertext []byte, context string) (string, error) {
	if len(ciphertext) == 0 {
		return "", nil
	}
	n := c.aead.NonceSize()
	if len(ciphertext) < n+c.aead.Overhead() {
		return "", errors.New("decrypt: ciphertext too short")
	}
	plain, err := c.aead.Open(nil, ciphertext[:n], ciphertext[n:], []byte(context))
	if err != nil {
		return "", fmt.Errorf("decrypt %s: %w", context, err)
	}
	return string(plain), nil
}

// BlindIndex returns the hex HMAC-SHA256 of a resident ID (trimmed, upper-case X),
// equal for equal IDs and useless without the key.
func (c *Cipher) BlindIndex(residentID string) string {
	mac := hmac.New(sha256.New, c.indexKey)
	mac.Write([]byte(strings.ToUpper(strings.TrimSpace(residentID))))
	return hex.EncodeToString(mac.Sum(nil))
}

// SessionID returns the hex HMAC-SHA256 of a bearer token: the id its session
// is stored under. Whoever can write to the database but lacks the key cannot
// make a session id that a token of theirs opens.
func (c *Cipher) SessionID(token string) string {
	mac := hmac.New(sha256.New, c.sessionKey)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

// ParseKey reads a master key given as hex or base64 (JOBBRIDGE_SECRET_KEY).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("secret key must be %d bytes as hex (64 characters) or base64", KeySize)
}

// LoadOrCreateKeyFile reads the master key from path, or creates the file
// (mode 0600, 32 random bytes hex-encoded) when it does not exist yet.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := ParseKey(string(b))
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // created meanwhile by another process
		return LoadOrCreateKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write key file: %w", err)
	}
	return key, nil
}
