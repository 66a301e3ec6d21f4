#!/bin/sh
# Import the kg graph into a new Neo4j database with neo4j-admin (Neo4j 5).
# Usage: ./import.sh [database]   (default database: neo4j; stop the server first)
# Then start Neo4j; for a database other than the default one, run
#   CREATE DATABASE <name>   in the system database.
set -eu
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" \
  --overwrite-destination=true \
  --delimiter="," \
  --array-delimiter=";" \
  --quote='"' \
  --multiline-fields=true \
  --nodes=nodes_Paper.csv \
  --nodes=nodes_Method.csv \
  --nodes=nodes_Dataset.csv \
  --nodes=nodes_Metric.csv \
  --nodes=nodes_Task.csv \
  --nodes=nodes_Repository.csv \
  --nodes=nodes_Result.csv \
  --relationships=rels_PROPOSES.csv \
  --relationships=rels_USES.csv \
  --relationships=rels_INTRODUCES.csv \
  --relationships=rels_EVALUATES_ON.csv \
  --relationships=rels_REPORTS_METRIC.csv \
  --relationships=rels_ADDRESSES_TASK.csv \
  --relationships=rels_HAS_CODE.csv \
  --relationships=rels_REPORTS_RESULT.csv \
  --relationships=rels_RESULT_METHOD.csv \
  --relationships=rels_RESULT_DATASET.csv \
  --relationships=rels_RESULT_METRIC.csv
