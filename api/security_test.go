package api_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine/store"
)

// TestForgedSessionRefused: a process that reaches the database and writes a
// session for the admin cannot use it. The stored id is an HMAC of the token
// keyed with the server's secret, which the database does not hold; the id
// forms an intruder can compute (the token itself, its SHA-256 as before)
// open nothing.
func TestForgedSessionRefused(t *testing.T) {
	t.Parallel()
	e := shared
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(e.db.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	sessions := client.Database(store.DefaultDatabase).Collection("sessions")

	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	sum := sha256.Sum256([]byte(token))
	for _, id := range []string{hex.EncodeToString(sum[:]), token} {
		_, err := sessions.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "userId", Value: "u-admin"},
			{Key: "createdAt", Value: time.Now()}, {Key: "updatedAt", Value: time.Now()},
			{Key: "expiresAt", Value: time.Now().Add(time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	res, body := e.doWith(t, "", "GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer " + token})
	if res.StatusCode != 401 {
		t.Fatalf("a session inserted into the database was accepted: %d %s", res.StatusCode, body)
	}

	// A real login's session is stored under neither form.
	tok := e.token(t, "admin")
	sum = sha256.Sum256([]byte(tok))
	for _, id := range []string{hex.EncodeToString(sum[:]), tok} {
		if n, err := sessions.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}); err != nil || n != 0 {
			t.Errorf("a login's session is stored under an id computable without the key (%d, %v)", n, err)
		}
	}
}
