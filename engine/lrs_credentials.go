package engine

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
)

// HashSecret is the stored form of a credential's secret: its hex SHA-256
// (the secret is 32 random bytes, so a slow hash adds nothing but latency
// to every statement request).
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// IssueCredential makes a key/secret pair for a user (a provider, or an
// admin for the service itself) and stores it with the secret hashed; the
// secret is returned once, here.
func (l *LRS) IssueCredential(ctx context.Context, by *User, name, userID string) (*Credential, string, error) {
	var p Problems
	checkText(&p, "name", name, true, 200)
	u, found := l.svc.User(userID)
	switch {
	case userID == "":
		p.Add("userId", "is required: the user the credential acts for")
	case !found:
		p.Add("userId", "no user %s", userID)
	case u.Disabled:
		p.Add("userId", "user %s is disabled", userID)
	case u.Role != RoleProvider && u.Role != RoleAdmin:
		p.Add("userId", "must be a provider or an admin, not a %s", u.Role)
	}
	if err := p.Err(); err != nil {
		return nil, "", err
	}
	var k [8]byte
	var sec [32]byte
	_, _ = rand.Read(k[:])
	_, _ = rand.Read(sec[:])
	secret := base64.RawURLEncoding.EncodeToString(sec[:])
	c := &Credential{Key: "lrs-" + hex.EncodeToString(k[:]), Name: strings.TrimSpace(name), UserID: userID,
		SecretHash: HashSecret(secret), CreatedAt: l.clock.Now().UTC(), CreatedBy: by.ID}
	if err := l.store.PutCredential(ctx, c); err != nil {
		return nil, "", err
	}
	l.credMu.Lock()
	l.creds[c.Key] = c
	l.credMu.Unlock()
	return c, secret, nil
}

// RevokeCredential deletes a credential; requests with it fail from then on.
func (l *LRS) RevokeCredential(ctx context.Context, key string) error {
	if err := l.store.DeleteCredential(ctx, key); err != nil {
		return err
	}
	l.credMu.Lock()
	delete(l.creds, key)
	l.credMu.Unlock()
	return nil
}

// Credentials lists the credentials an admin issued (not those of cmi5
// launch sessions) by creation, oldest first.
func (l *LRS) Credentials() []*Credential {
	l.credMu.RLock()
	out := make([]*Credential, 0, len(l.creds))
	for _, c := range l.creds {
		if !isSessionCredential(c) {
			out = append(out, c)
		}
	}
	l.credMu.RUnlock()
	slices.SortFunc(out, func(a, b *Credential) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.Key, b.Key)) })
	return out
}

// Authenticate finds the credential and user of an HTTP Basic key and secret.
// On a shared database the credential is read from the store each time, so
// a revocation in another process holds at once.
func (l *LRS) Authenticate(ctx context.Context, key, secret string) (*Credential, *User, error) {
	bad := Errorf(EUNAUTHORIZED, "unknown LRS key or wrong secret")
	c, ok, err := l.credential(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	if !ok || subtle.ConstantTimeCompare([]byte(c.SecretHash), []byte(HashSecret(secret))) != 1 {
		return nil, nil, bad
	}
	if !c.ExpiresAt.IsZero() && l.clock.Now().After(c.ExpiresAt) {
		return nil, nil, Errorf(EUNAUTHORIZED, "this cmi5 session's credential has expired: launch the AU again")
	}
	u, found := l.svc.User(c.UserID)
	if !found || u.Disabled {
		return nil, nil, Errorf(EUNAUTHORIZED, "the credential's user is gone or disabled")
	}
	return c, u, nil
}

// credential finds a credential by key: in memory, or on a shared database
// in the store, so that what another process revoked or used is seen at once.
func (l *LRS) credential(ctx context.Context, key string) (*Credential, bool, error) {
	if l.svc.Shared {
		list, err := l.store.Credentials(ctx)
		if err != nil {
			return nil, false, err
		}
		i := slices.IndexFunc(list, func(x *Credential) bool { return x.Key == key })
		if i < 0 {
			return nil, false, nil
		}
		return list[i], true, nil
	}
	l.credMu.RLock()
	defer l.credMu.RUnlock()
	c, ok := l.creds[key]
	return c, ok, nil
}
