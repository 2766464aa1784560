-- AUTO_INCREMENT and the primary key are on id in the baseline, on seq in the env.
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, seq INT NOT NULL, PRIMARY KEY (id), KEY ix_seq (seq));
