package store

import (
	"fmt"

	"jobbridge/engine"
)

// seekerDoc is a seeker as stored: the resident ID and certificate number only
// encrypted, plus the blind index that keeps resident IDs unique and findable.
type seekerDoc struct {
	*engine.Seeker `bson:",inline"`
	ResidentIDEnc  []byte `bson:"residentIdEnc,omitempty"`
	CertificateEnc []byte `bson:"certificateEnc,omitempty"`
	ResidentIDHash string `bson:"residentIdHash"`
}

// residentIDHash is the blind index of a seeker's resident ID; a seeker without
// one (an erased file) gets a value of its own so the unique index still holds.
func (s *Store) residentIDHash(sk *engine.Seeker) string {
	if sk.ResidentID == "" {
		return "erased:" + sk.ID
	}
	return s.cipher.BlindIndex(sk.ResidentID)
}

func (s *Store) sealSeeker(sk *engine.Seeker) *seekerDoc {
	return &seekerDoc{
		Seeker:         sk,
		ResidentIDEnc:  s.cipher.Encrypt(sk.ResidentID, fieldContext(sk.ID, "residentId")),
		CertificateEnc: s.cipher.Encrypt(sk.Certificate, fieldContext(sk.ID, "certificate")),
		ResidentIDHash: s.residentIDHash(sk),
	}
}

// open decrypts the sensitive fields into the seeker.
func (s *Store) openSeeker(d *seekerDoc) error {
	var err error
	if d.Seeker.ResidentID, err = s.cipher.Decrypt(d.ResidentIDEnc, fieldContext(d.Seeker.ID, "residentId")); err != nil {
		return fmt.Errorf("seeker %s: %w", d.Seeker.ID, err)
	}
	if d.Seeker.Certificate, err = s.cipher.Decrypt(d.CertificateEnc, fieldContext(d.Seeker.ID, "certificate")); err != nil {
		return fmt.Errorf("seeker %s: %w", d.Seeker.ID, err)
	}
	return nil
}

// fieldContext binds a ciphertext to one field of one seeker.
func fieldContext(id, field string) string { return "seeker/" + id + "/" + field }
