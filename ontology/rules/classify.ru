# The closed-world classification of PRODUCT.md section 4, as SPARQL 1.1 updates.
#
# Runs first, before the implied flows and the OWL 2 RL materialization (so that what the
# results entail, e.g. org:classification, is materialized too); a second run changes nothing.
# It needs neither: the flows an activity implies are read from the FlowRule triples of the
# ontology (step 2b), as implied-flows.ru reads them, so the classification does not wait for
# the implied flows to be written (about 7 triples each). Sides are found through the class
# hierarchy (rdf:type/rdfs:subClassOf*), and both directions of flowOf/hasFlow and
# activityOf/hasActivity are read.
# Writes per partnership: iei:mode, iei:direction (unilateral only), iei:pattern (0..n),
# iei:mismatch and iei:evidence, using the concepts of the ontology found by their
# skos:notation. The previous results are deleted first, so running it twice gives the same graph.
#
# Cross-side flow: provider and recipient on different sides (industry vs education), both
# participants of the flow's partnership. Third parties and same-side flows never decide.
#
# Where a rule reads one property of many nodes, it reads it in a sub-query
# ({ SELECT ?s ?o WHERE { ?s p ?o } }): the sub-queries are joined by hash, one pass over each
# property, where a plain pattern is looked up once per row (on disk 1.3-2.3x faster per rule
# at 3.9M triples; the same in memory).

PREFIX iei: <https://w3id.org/iei/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

# 1. Forget the results of an earlier run.
DELETE WHERE { ?p iei:mode ?o } ;
DELETE WHERE { ?p iei:direction ?o } ;
DELETE WHERE { ?p iei:pattern ?o } ;
DELETE WHERE { ?p iei:mismatch ?o } ;
DELETE WHERE { ?p iei:evidence ?o } ;

# 2a. Each cross-side flow of the data: its direction and its evidence (the flow, or the
#     activity that implies it when the implied flows are written already). A partnership gets
#     one iei:direction per direction it has flows in.
INSERT {
  ?partnership iei:direction ?direction ;
               iei:evidence ?evidence .
}
WHERE {
  VALUES (?providerSide ?recipientSide ?directionCode) {
    (iei:IndustrySideActor iei:EducationSideActor "industry_to_education")
    (iei:EducationSideActor iei:IndustrySideActor "education_to_industry")
  }
  ?direction skos:inScheme iei:FlowDirections ; skos:notation ?directionNotation .
  FILTER (STR(?directionNotation) = ?directionCode)
  # the side of each organization, found once (not once per flow)
  { SELECT DISTINCT ?provider ?providerSide WHERE {
      VALUES ?providerSide { iei:IndustrySideActor iei:EducationSideActor }
      ?provider rdf:type/rdfs:subClassOf* ?providerSide } }
  { SELECT DISTINCT ?recipient ?recipientSide WHERE {
      VALUES ?recipientSide { iei:IndustrySideActor iei:EducationSideActor }
      ?recipient rdf:type/rdfs:subClassOf* ?recipientSide } }
  { SELECT ?flow ?provider WHERE { ?flow iei:provider ?provider } }
  { SELECT ?flow ?recipient WHERE { ?flow iei:recipient ?recipient } }
  { SELECT ?flow ?partnership WHERE { { ?flow iei:flowOf ?partnership } UNION { ?partnership iei:hasFlow ?flow } } }
  # both are participants of the flow's partnership
  { SELECT ?partnership ?provider ?recipient WHERE { ?partnership iei:participant ?provider, ?recipient } }
  OPTIONAL { SELECT ?flow ?activity WHERE { ?flow iei:impliedBy ?activity } }
  BIND (COALESCE(?activity, ?flow) AS ?evidence)
} ;

# 2b. Each cross-side flow an activity implies (the pattern of implied-flows.ru: every rule of
#     the activity's kind, every pair of participants on the rule's sides): its direction, and
#     the activity as evidence. The same triples as 2a gives once the implied flows are written
#     (they also need the organizations' ids, for their IRIs: every valid record has one).
INSERT {
  ?partnership iei:direction ?direction ;
               iei:evidence ?activity .
}
WHERE {
  VALUES (?providerSide ?recipientSide ?directionCode) {
    (iei:IndustrySideActor iei:EducationSideActor "industry_to_education")
    (iei:EducationSideActor iei:IndustrySideActor "education_to_industry")
  }
  ?direction skos:inScheme iei:FlowDirections ; skos:notation ?directionNotation .
  FILTER (STR(?directionNotation) = ?directionCode)
  ?kind iei:impliesFlow ?rule .
  ?rule iei:fromSide ?fromSide ; iei:toSide ?toSide .
  { SELECT DISTINCT ?provider ?providerSide WHERE {
      VALUES ?providerSide { iei:IndustrySideActor iei:EducationSideActor }
      ?provider rdf:type/rdfs:subClassOf* ?providerSide } }
  { SELECT DISTINCT ?recipient ?recipientSide WHERE {
      VALUES ?recipientSide { iei:IndustrySideActor iei:EducationSideActor }
      ?recipient rdf:type/rdfs:subClassOf* ?recipientSide } }
  { SELECT DISTINCT ?provider ?fromSide
    WHERE { ?anyRule iei:fromSide ?fromSide . ?provider rdf:type/rdfs:subClassOf* ?fromSide } }
  { SELECT DISTINCT ?recipient ?toSide
    WHERE { ?anyRule iei:toSide ?toSide . ?recipient rdf:type/rdfs:subClassOf* ?toSide } }
  { SELECT ?activity ?kind WHERE { ?activity iei:activityKind ?kind } }
  { SELECT ?activity ?partnership WHERE { { ?activity iei:activityOf ?partnership } UNION { ?partnership iei:hasActivity ?activity } } }
  { SELECT ?partnership ?provider ?recipient WHERE { ?partnership iei:participant ?provider, ?recipient } }
  FILTER (?provider != ?recipient)
} ;

# 3. Directions both ways: two-way, and no direction.
INSERT { ?partnership iei:mode ?mode }
WHERE {
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?notation .
  FILTER (STR(?notation) = "two_way")
  { SELECT ?partnership ?one WHERE { ?partnership iei:direction ?one } }
  { SELECT ?partnership ?other WHERE { ?partnership iei:direction ?other } }
  FILTER (?one != ?other)
} ;
DELETE { ?partnership iei:direction ?direction }
WHERE {
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?notation .
  FILTER (STR(?notation) = "two_way")
  ?partnership iei:mode ?mode ;
               iei:direction ?direction .
} ;

# 4. One direction only: unilateral (the direction stays).
INSERT { ?partnership iei:mode ?mode }
WHERE {
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?notation .
  FILTER (STR(?notation) = "unilateral")
  ?partnership iei:direction ?direction .
  FILTER NOT EXISTS { ?partnership iei:mode ?any }
} ;

# 5. No cross-side flow: none.
INSERT { ?partnership iei:mode ?mode }
WHERE {
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?notation .
  FILTER (STR(?notation) = "none")
  ?partnership rdf:type/rdfs:subClassOf* iei:Partnership .
  FILTER NOT EXISTS { ?partnership iei:mode ?any }
} ;

# 6. Mismatch: a declared mode that differs from the mode (false when none is declared).
INSERT { ?partnership iei:mismatch ?mismatch }
WHERE {
  ?partnership iei:mode ?mode .
  OPTIONAL { SELECT ?partnership ?declared WHERE { ?partnership iei:declaredMode ?declared } }
  BIND (IF(BOUND(?declared) && ?declared != ?mode, true, false) AS ?mismatch)
} ;

# 7. Patterns that follow from the mode.
INSERT { ?partnership iei:pattern ?pattern }
WHERE {
  VALUES (?modeCode ?patternCode) {
    ("two_way" "integration_of_production_and_education")
    ("unilateral" "school_enterprise_cooperation")
  }
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?modeNotation .
  FILTER (STR(?modeNotation) = ?modeCode)
  ?pattern skos:inScheme iei:CooperationPatterns ; skos:notation ?patternNotation .
  FILTER (STR(?patternNotation) = ?patternCode)
  ?partnership iei:mode ?mode .
} ;

# 8. Industry-university cooperation: two-way with a university or research institute.
INSERT { ?partnership iei:pattern ?pattern }
WHERE {
  ?mode skos:inScheme iei:CooperationModes ; skos:notation ?modeNotation .
  FILTER (STR(?modeNotation) = "two_way")
  ?pattern skos:inScheme iei:CooperationPatterns ; skos:notation ?patternNotation .
  FILTER (STR(?patternNotation) = "industry_university_cooperation")
  VALUES ?academic { iei:University iei:ResearchInstitute }
  ?partnership iei:mode ?mode ;
               iei:participant ?member .
  ?member rdf:type ?type .
  ?type rdfs:subClassOf* ?academic .
} ;

# 9. Work-integrated learning, whatever the mode: an internship, apprenticeship or order class.
INSERT { ?partnership iei:pattern ?pattern }
WHERE {
  ?pattern skos:inScheme iei:CooperationPatterns ; skos:notation ?patternNotation .
  FILTER (STR(?patternNotation) = "work_integrated_learning")
  ?kind skos:inScheme iei:ActivityKinds ; skos:notation ?kindNotation .
  FILTER (STR(?kindNotation) IN ("internship", "apprenticeship", "order_class"))
  ?activity iei:activityKind ?kind .
  { SELECT ?activity ?partnership WHERE { ?activity iei:activityOf|^iei:hasActivity ?partnership } }
}
