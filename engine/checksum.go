package engine

import (
	"strings"
	"time"
)

var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const residentCheck = "10X98765432"

// ResidentIDCheck returns the GB 11643 check character for the first 17 digits of a resident ID.
func ResidentIDCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * residentWeights[i]
	}
	return residentCheck[sum%11], true
}

// CheckResidentID says what is wrong with an 18-character resident ID (GB 11643),
// or "" when it is valid: digits, checksum, and a real birth date not after today.
func CheckResidentID(id string, today time.Time) string {
	if len(id) != 18 {
		return "must be 18 characters"
	}
	want, ok := ResidentIDCheck(id[:17])
	if !ok {
		return "the first 17 characters must be digits"
	}
	if id[17] != want {
		return "checksum does not match (GB 11643)"
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil {
		return "embedded birth date is not a date"
	}
	if birth.After(today) {
		return "embedded birth date is in the future"
	}
	return ""
}

// ResidentBirthDate returns the YYYY-MM-DD birth date embedded in a resident ID.
func ResidentBirthDate(id string) string {
	if len(id) < 14 {
		return ""
	}
	return id[6:10] + "-" + id[10:12] + "-" + id[12:14]
}

// CheckCertificate says what is wrong with a 20-character disability certificate
// number (resident ID + category digit 1–7 + level digit 1–4), or "" when valid.
func CheckCertificate(cert, residentID string) string {
	if len(cert) != 20 {
		return "must be 20 characters"
	}
	if residentID != "" && !strings.EqualFold(cert[:18], residentID) {
		return "must start with the seeker's resident ID"
	}
	if cert[18] < '1' || cert[18] > '7' {
		return "category digit (19th) must be 1–7"
	}
	if cert[19] < '1' || cert[19] > '4' {
		return "level digit (20th) must be 1–4"
	}
	return ""
}

// CertificateDisability returns the disability a certificate number encodes.
func CertificateDisability(cert string) Disability {
	if len(cert) != 20 || cert[18] < '1' || cert[18] > '7' {
		return Disability{}
	}
	return Disability{Category: DisabilityCategories[cert[18]-'1'], Level: int(cert[19] - '0')}
}

const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck returns the GB 32100 check character for the first 17 characters of a unified social credit code.
func CreditCodeCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCharset, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCharset[c], true
}

// CheckCreditCode says what is wrong with an 18-character unified social credit code, or "".
func CheckCreditCode(code string) string {
	if len(code) != 18 {
		return "must be 18 characters"
	}
	want, ok := CreditCodeCheck(code[:17])
	if !ok {
		return "may use only 0-9 and A-Y without I, O, S, V, Z"
	}
	if code[17] != want {
		return "checksum does not match (GB 32100)"
	}
	return ""
}
