package xapi

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"
)

var jwsHashes = map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}

// CheckSignature checks a signed statement's signature attachment (Data
// 2.6): a JWS in compact form whose algorithm is RS256, RS384 or RS512 and
// whose payload is a statement; when the header carries its certificate
// (x5c), the signature must verify with its key. It returns what is wrong, or "".
func CheckSignature(st map[string]any, jws []byte) string {
	parts := strings.Split(strings.TrimSpace(string(jws)), ".")
	if len(parts) != 3 {
		return "the signature is not a JWS in compact serialization (header.payload.signature)"
	}
	raw := make([][]byte, 3)
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
		if err != nil {
			return "the signature is not a JWS: a part is not base64url"
		}
		raw[i] = b
	}
	var header struct {
		Alg string   `json:"alg"`
		X5c []string `json:"x5c"`
	}
	if err := json.Unmarshal(raw[0], &header); err != nil {
		return "the signature's JWS header is not JSON"
	}
	hash, ok := jwsHashes[header.Alg]
	if !ok {
		return "the signature's algorithm must be RS256, RS384 or RS512, not " + header.Alg
	}
	payload, err := Decode(raw[1])
	if err != nil {
		return "the signature's payload is not a JSON statement"
	}
	if _, ok := payload.(map[string]any); !ok {
		return "the signature's payload is not a JSON statement"
	}
	if len(header.X5c) > 0 {
		der, err := base64.StdEncoding.DecodeString(header.X5c[0])
		if err != nil {
			return "the signature's x5c certificate is not base64"
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return "the signature's x5c certificate cannot be read"
		}
		key, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return "the signature's certificate holds no RSA key"
		}
		h := hash.New()
		h.Write([]byte(parts[0] + "." + parts[1]))
		if rsa.VerifyPKCS1v15(key, hash, h.Sum(nil), raw[2]) != nil {
			return "the signature does not verify with its certificate's key"
		}
	}
	return ""
}
