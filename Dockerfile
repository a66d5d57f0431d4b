# jobbridge: one static binary (the embedded database is compiled in but unused
# when JOBBRIDGE_MONGO_URI is set, as docker-compose.yml does).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(date -u +%Y%m%d)" -o /out/jobbridge ./cmd/jobbridge

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/jobbridge /jobbridge
VOLUME ["/data"]
ENV JOBBRIDGE_DATA_DIR=/data JOBBRIDGE_ADDR=:8080 JOBBRIDGE_METRICS_ADDR=:9180
EXPOSE 8080 9180
USER nonroot:nonroot
ENTRYPOINT ["/jobbridge"]
CMD ["serve"]
