package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// config is every setting of the service: defaults, overridden by JOBBRIDGE_*
// environment variables, overridden by flags given on the command line.
type config struct {
	Addr          string
	DataDir       string
	MongoURI      string
	Fixtures      string
	SecretKey     string
	AdminPassword string
	LogLevel      string
	Now           string // jobs: run as if it were this time (RFC 3339)
	QuotaPolicy   string // JSON file replacing the employment quota's policy table
	MetricsAddr   string // the operators' listener (health checks, metrics); empty: none
	MaxConns      int    // connections the HTTP listener holds at once

	// TrustedProxies are the reverse proxies (addresses or CIDRs, comma
	// separated) whose X-Forwarded-For names the client to the login limits.
	TrustedProxies string

	limits httpLimits // the HTTP listener's timeouts (tests shorten them); zero: defaultLimits
}

// bind registers the flags a subcommand takes, with env-derived defaults.
func (c *config) bind(fs *flag.FlagSet, serve bool) {
	env := func(name, def string) string {
		if v, ok := os.LookupEnv("JOBBRIDGE_" + name); ok {
			return v
		}
		return def
	}
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./data"), "data directory (embedded database, index, key file)")
	fs.StringVar(&c.MongoURI, "mongo-uri", env("MONGO_URI", ""), "MongoDB URI; empty starts the embedded database")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error")
	c.SecretKey = env("SECRET_KEY", "")
	c.AdminPassword = env("ADMIN_PASSWORD", "")
	if serve {
		fs.StringVar(&c.Addr, "addr", env("ADDR", ":8080"), "HTTP listen address HOST:PORT")
		fs.StringVar(&c.Fixtures, "fixtures", env("FIXTURES", "auto"), "demo data: auto (when the embedded database is empty), on or off")
		fs.StringVar(&c.QuotaPolicy, "quota-policy", env("QUOTA_POLICY", ""), "JSON file of quota policies by year (default: the built-in Shanghai table)")
		fs.StringVar(&c.MetricsAddr, "metrics-addr", env("METRICS_ADDR", "127.0.0.1:9180"), "operators' listen address HOST:PORT for /metrics, /healthz, /readyz (empty: none)")
		maxConns, err := strconv.Atoi(env("MAX_CONNS", strconv.Itoa(defaultLimits.MaxConns)))
		if err != nil {
			maxConns = -1 // check refuses it
		}
		fs.IntVar(&c.MaxConns, "max-conns", maxConns, "HTTP connections held at once (more wait to be accepted)")
		fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "reverse proxies (addresses or CIDRs, comma separated) whose X-Forwarded-For is believed; default none")
	}
}

func (c *config) check() error {
	switch c.Fixtures {
	case "", "auto", "on", "off":
	default:
		return fmt.Errorf("--fixtures must be auto, on or off, not %q", c.Fixtures)
	}
	for _, p := range c.proxies() {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return fmt.Errorf("--trusted-proxies: %q is neither an address nor a CIDR", p)
			}
		}
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level must be debug, info, warn or error, not %q", c.LogLevel)
	}
	return nil
}

// proxies is the list of --trusted-proxies.
func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// masked is the config as logged at start, secrets hidden.
func (c *config) masked() []any {
	return []any{"addr", c.Addr, "dataDir", c.DataDir, "mongoURI", maskURI(c.MongoURI), "fixtures", c.Fixtures,
		"secretKey", maskSecret(c.SecretKey), "adminPassword", maskSecret(c.AdminPassword), "logLevel", c.LogLevel, "quotaPolicy", c.QuotaPolicy,
		"metricsAddr", c.MetricsAddr, "maxConns", c.MaxConns,
		"trustedProxies", c.TrustedProxies}
}

func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}

// maskURI hides the password in a MongoDB URI.
func maskURI(uri string) string {
	scheme, rest, found := strings.Cut(uri, "://")
	if !found {
		return uri
	}
	creds, host, found := strings.Cut(rest, "@")
	if !found {
		return uri
	}
	userName, _, _ := strings.Cut(creds, ":")
	return scheme + "://" + userName + ":****@" + host
}
