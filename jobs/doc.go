// Package jobs holds jobbridge's scheduled jobs (training-outcomes, rematch,
// placement-followups) and the scheduler that runs them on cron schedules in
// Asia/Shanghai, once per slot among all processes, through leases in MongoDB.
// Imports engine and cron.
package jobs
