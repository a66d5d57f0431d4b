package main
import (
  _ "github.com/FerretDB/FerretDB/ferretdb"
  _ "go.mongodb.org/mongo-driver/v2/mongo"
  _ "github.com/blevesearch/bleve/v2"
  _ "github.com/gin-gonic/gin"
  _ "github.com/robfig/cron/v3"
  _ "golang.org/x/crypto/bcrypt"
)
func main(){}
